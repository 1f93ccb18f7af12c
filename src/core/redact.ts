/**
 * The one redaction function for secrets in text Lockscope prints, logs or posts: URL userinfo passwords, password
 * query parameters, libpq keyword strings and PGPASSWORD-style echoes all become `***`.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = '***';

// Keys whose value is a secret wherever they appear as key=value (libpq keywords, URL query, env echoes).
const SECRET_KEY = String.raw`[A-Za-z_]*(?:password|passwd|pwd)`;

/**
 * URL userinfo: `scheme://user:PASSWORD@` where the password may hold raw `/`, `@`, `#`, `?` (users paste them
 * unencoded): the greedy run stops at the LAST `@` of the whitespace-free token, so nothing of the password survives.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@\s"'<>/]*):[^\s"'<>]*@/gi;

// In a URL query: `?password=…&` or `&sslpassword=…`; the value ends at `&` or whitespace.
const QUERY_PARAM = new RegExp(String.raw`([?&]${SECRET_KEY}=)[^&\s"'<>]*`, 'gi');

/**
 * libpq keyword strings and env echoes: `password=secret`, `password = 'it''s \' quoted'`, `PGPASSWORD=…`,
 * `PGPASSWORD: …`. A quoted value runs to its closing quote (backslash escapes as libpq reads them). An unquoted
 * value stops before a `"` that closes a JSON string (followed by `,` `}` `]` `:`, space or the end): in `--format
 * json` output a Ruby keyword argument `password: params[:password]` inside a site's label must not eat the label's
 * closing quote (lago-api's scan JSON did not parse); a `"` inside the value (`ab"cd`) is still part of it.
 */
const KEYWORD_VALUE = new RegExp(
  String.raw`(^|[^A-Za-z0-9_?&])(${SECRET_KEY})("?\s*[=:]\s*)('(?:[^'\\]|\\.)*(?:'|$)|"(?:[^"\\]|\\.)*(?:"|$)|(?!\$\d)(?:[^\s"\\]|\\.|"(?![\s,:}\]]|$))+)`,
  'gim',
);

/** Removes every password-shaped secret from `text`; text without one comes back unchanged. */
export function redactSecrets(text: string): string {
  if (!/pass|pwd|:\/\//i.test(text)) return text;
  return text.replace(USERINFO, `$1$2:${REDACTED}@`).replace(QUERY_PARAM, `$1${REDACTED}`).replace(KEYWORD_VALUE, `$1$2$3${REDACTED}`);
}

/**
 * Redacts a string that is meant to be ONE connection URL: unlike running text, a password here may even hold
 * spaces or quotes, so everything between the first `:` of the authority and the last `@` of the string goes.
 */
export function redactUrl(url: string): string {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (scheme === null) return redactSecrets(url);
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  const userinfo = at >= 0 && colon >= 0 && colon < at ? `${rest.slice(0, colon)}:${REDACTED}@` : at >= 0 ? rest.slice(0, at + 1) : '';
  return redactSecrets(`${scheme[0]}${userinfo}${rest.slice(at + 1)}`);
}

/**
 * Redacts every string inside a JSON-like value (webview messages, exports): the shape and every non-string are kept,
 * so a typed message stays the same type.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item)]));
  }
  return value;
}

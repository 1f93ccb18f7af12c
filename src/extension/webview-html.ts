/** The webview page shell: a strict Content-Security-Policy, the bundle loaded by nonce, theme-aware CSS. Pure, no vscode. */
import type { ACTIVITY_VIEW } from '../protocol/activity.js';
import type { LOCK_COST_VIEW } from '../protocol/lock-cost.js';
import type { PROBE_VIEW } from '../protocol/probe.js';
import { SERVER_PROFILE_VIEW } from '../protocol/server-profile.js';

/** Views the webview bundle knows how to mount (webview/main.ts reads `<body data-view>`). */
export type WebviewViewId = typeof SERVER_PROFILE_VIEW | typeof ACTIVITY_VIEW | typeof PROBE_VIEW | typeof LOCK_COST_VIEW;

export interface WebviewHtmlOptions {
  /** The document title (screen readers announce it). */
  title: string;
  /** `webview.cspSource`: the origin(s) asWebviewUri serves local resources from. */
  cspSource: string;
  /** asWebviewUri of dist/webview.js. */
  scriptUri: string;
  /** asWebviewUri of media/webview.css. */
  styleUri: string;
  /** asWebviewUri of dist/codicons/codicon.css; without it buttons and banners show no icons. */
  codiconsUri?: string;
  /** From makeNonce(): a fresh value per page, the only way a script runs. */
  nonce: string;
  /** Which view the bundle mounts; the server lock profile when omitted. */
  initialView?: WebviewViewId;
}

/** base64 of at least 16 random bytes, as makeNonce() produces; anything else would weaken or break the policy. */
const NONCE_PATTERN = /^[A-Za-z0-9+/]{22,}={0,2}$/;
/** Source expressions (VS Code gives `'self' https://*.vscode-cdn.net`): nothing that could end the directive or the attribute. */
const CSP_SOURCE_PATTERN = /^[^;,"<>\r\n]+$/;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The Content-Security-Policy of every Lockscope webview page. */
export function webviewCsp(cspSource: string, nonce: string): string {
  if (!NONCE_PATTERN.test(nonce)) throw new Error('renderWebviewHtml: the nonce must be base64 of ≥16 random bytes (makeNonce())');
  if (!CSP_SOURCE_PATTERN.test(cspSource)) throw new Error(`renderWebviewHtml: not a CSP source list: ${JSON.stringify(cspSource)}`);
  return [
    "default-src 'none'",
    // Only the bundle tagged with this page's nonce runs: no inline scripts, no eval, no other origin.
    `script-src 'nonce-${nonce}'`,
    // Stylesheets from the extension only, and no 'unsafe-inline': Lit (inside @vscode-elements/elements) adopts
    // constructable stylesheets, and the components set styles through CSSOM (stylePropertyMap), never style="…".
    `style-src ${cspSource}`,
    // codicon.ttf.
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const csp = webviewCsp(options.cspSource, options.nonce);
  const view = options.initialView ?? SERVER_PROFILE_VIEW;
  // vscode-icon finds the codicon font through this id and links the same sheet inside its shadow root.
  const codicons =
    options.codiconsUri === undefined
      ? ''
      : `\n<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(options.codiconsUri)}">`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">${codicons}
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body data-view="${escapeHtml(view)}">
<main id="app" aria-label="${escapeHtml(options.title)}"></main>
<script type="module" nonce="${escapeHtml(options.nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * Connection profiles from settings (`lockscope.connections`): validated into typed profiles with clear problems
 * for bad entries, and turned into postgres:// URLs. Passwords never live here (SecretStorage does).
 */

export type EnvironmentTag = 'dev' | 'staging' | 'disposable';
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-full';

export interface ConnectionProfile {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  ssl: SslMode;
  /** dev and staging are read and probed with rollbacks; only disposable databases accept DDL probes. */
  environment: EnvironmentTag;
}

const ENVIRONMENTS: readonly EnvironmentTag[] = ['dev', 'staging', 'disposable'];
const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-full'];

export interface ParsedProfiles {
  profiles: ConnectionProfile[];
  /** One line per entry that was skipped, naming it and saying why. */
  problems: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(entry: Record<string, unknown>, key: string, fallback?: string): string | undefined {
  const value = entry[key];
  if (value === undefined || value === '') return fallback;
  return typeof value === 'string' ? value.trim() : undefined;
}

function parseOne(entry: unknown, index: number): ConnectionProfile | string {
  if (!isRecord(entry)) return `entry ${index + 1} is not an object`;
  const name = text(entry, 'name');
  const label = name ?? `entry ${index + 1}`;
  if (name === undefined || name === '') return `${label}: "name" is required`;
  const database = text(entry, 'database');
  if (database === undefined) return `${label}: "database" is required`;
  const port = entry['port'] === undefined ? 5432 : Number(entry['port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `${label}: "port" must be 1–65535`;
  const environment = text(entry, 'environment', 'dev') as EnvironmentTag;
  if (!ENVIRONMENTS.includes(environment)) return `${label}: "environment" must be one of ${ENVIRONMENTS.join(', ')}`;
  const ssl = text(entry, 'ssl', 'prefer') as SslMode;
  if (!SSL_MODES.includes(ssl)) return `${label}: "ssl" must be one of ${SSL_MODES.join(', ')}`;
  const host = text(entry, 'host', 'localhost');
  const user = text(entry, 'user', 'postgres');
  if (host === undefined || user === undefined) return `${label}: "host" and "user" must be strings`;
  return { name, host, port, database, user, ssl, environment };
}

export function parseProfiles(raw: unknown): ParsedProfiles {
  const out: ParsedProfiles = { profiles: [], problems: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) return { profiles: [], problems: ['lockscope.connections must be a list of profiles'] };
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const parsed = parseOne(entry, i);
    if (typeof parsed === 'string') out.problems.push(parsed);
    else if (seen.has(parsed.name)) out.problems.push(`${parsed.name}: a second profile with this name is ignored`);
    else {
      seen.add(parsed.name);
      out.profiles.push(parsed);
    }
  });
  return out;
}

/** The profile as a postgres:// URL (with the password when given); `sslmode` as libpq spells it. */
export function profileUrl(profile: ConnectionProfile, password?: string): string {
  const url = new URL('postgres://localhost');
  url.hostname = profile.host.includes(':') && !profile.host.startsWith('[') ? `[${profile.host}]` : profile.host;
  url.port = String(profile.port);
  url.pathname = `/${encodeURIComponent(profile.database)}`;
  url.username = encodeURIComponent(profile.user);
  if (password !== undefined && password !== '') url.password = encodeURIComponent(password);
  if (profile.ssl !== 'prefer') url.searchParams.set('sslmode', profile.ssl);
  return url.toString();
}

/** "staging-db [staging]": how the profile is named in the status bar, pickers and panels. */
export function profileLabel(profile: ConnectionProfile): string {
  return `${profile.name} [${profile.environment}]`;
}

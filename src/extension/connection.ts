/**
 * Which database the extension talks to: the chosen connection profile (`lockscope.connections`), else
 * `lockscope.databaseUrl`, else DATABASE_URL / PG* of the extension host or the workspace .env, else the embedded
 * PostgreSQL 18 with `lockscope.schemaFile` (also what Disconnect falls back to). Passwords live in SecretStorage.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  parseProfiles,
  profileLabel,
  profileUrl,
  type ConnectionProfile,
  type EnvironmentTag,
} from '../core/config/connection-profiles.js';
import { parseDotenv } from '../core/config/dotenv.js';
import { redactUrl, resolveConnectionTarget, type ConnectionTarget } from '../db/connection-target.js';
import { openEmbeddedSessionThreaded } from '../db/embedded-session-threaded.js';
import { discoverWorkspaceSchema } from '../db/embedded-workspace-schema.js';
import { DbError } from '../db/errors.js';
import { openServerSession } from '../db/server-session.js';
import { DEFAULT_SAFETY, type SessionSafety, type SqlSession } from '../db/session.js';
import type { Log } from './log.js';

const profileSecretKey = (profile: ConnectionProfile): string => `lockscope.password:profile:${profile.name}`;

export class UntrustedWorkspaceError extends Error {
  override readonly name = 'UntrustedWorkspaceError';
}

function settings(): { url: string; schemaFile: string; safety: SessionSafety } {
  const config = vscode.workspace.getConfiguration('lockscope');
  const statementTimeoutMs = config.get<number>('statementTimeoutMs', DEFAULT_SAFETY.statementTimeoutMs);
  return {
    url: config.get<string>('databaseUrl', '').trim(),
    schemaFile: config.get<string>('schemaFile', '').trim(),
    safety: { ...DEFAULT_SAFETY, connectTimeoutMs: config.get<number>('connectTimeoutSeconds', 5) * 1000, statementTimeoutMs },
  };
}

function withPassword(target: ConnectionTarget, password: string): ConnectionTarget {
  if (target.connectionString === undefined) return target;
  const url = new URL(target.connectionString);
  url.password = password;
  return { ...target, connectionString: url.toString() };
}

const hasPassword = (target: ConnectionTarget): boolean =>
  target.connectionString !== undefined && new URL(target.connectionString).password !== '';

/** auto: settings, environment, .env, else embedded; profile: a named profile; embedded: disconnected from servers. */
export type ConnectionChoice = { kind: 'auto' } | { kind: 'profile'; name: string } | { kind: 'embedded' };

export interface ConnectionDescription {
  /** For the status bar and panels: "staging [staging]", "DATABASE_URL postgres://app@db/shop", "embedded PostgreSQL 18". */
  label: string;
  environment: EnvironmentTag | undefined;
  embedded: boolean;
}

const CHOICE_KEY = 'lockscope.connection';

export class ConnectionManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionChoice>();
  /** Fires when the user connects, disconnects or chooses another connection. */
  readonly onDidChange = this.changed.event;
  private reportedProblems = '';

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
    /** The workspace's memento: where the chosen connection is kept. */
    private readonly state: vscode.Memento,
    /** Where the loaded embedded database is kept per schema hash (the extension's global storage). */
    private readonly embeddedCacheDir: string,
  ) {}

  get choice(): ConnectionChoice {
    const stored = this.state.get<ConnectionChoice>(CHOICE_KEY);
    if (stored !== undefined) return stored;
    const preferred = vscode.workspace.getConfiguration('lockscope').get<string>('defaultConnection', '').trim();
    return preferred === '' ? { kind: 'auto' } : { kind: 'profile', name: preferred };
  }

  async choose(choice: ConnectionChoice): Promise<void> {
    await this.state.update(CHOICE_KEY, choice);
    this.log.info(`Connection: ${this.describe().label}`);
    this.changed.fire(choice);
  }

  /** The profiles in settings; bad entries are logged once each time they change. */
  profiles(): ConnectionProfile[] {
    const parsed = parseProfiles(vscode.workspace.getConfiguration('lockscope').get<unknown>('connections'));
    const problems = parsed.problems.join('\n');
    if (problems !== '' && problems !== this.reportedProblems) this.log.warn(`lockscope.connections: ${problems}`);
    this.reportedProblems = problems;
    return parsed.profiles;
  }

  /** The chosen profile, or undefined (with auto/embedded, or when the chosen name is no longer in settings). */
  activeProfile(): ConnectionProfile | undefined {
    const choice = this.choice;
    return choice.kind === 'profile' ? this.profiles().find((p) => p.name === choice.name) : undefined;
  }

  describe(): ConnectionDescription {
    const choice = this.choice;
    const profile = this.activeProfile();
    if (profile !== undefined) return { label: profileLabel(profile), environment: profile.environment, embedded: false };
    if (choice.kind === 'profile')
      return { label: `${choice.name} (no such profile in lockscope.connections)`, environment: undefined, embedded: false };
    const target = choice.kind === 'embedded' ? undefined : this.autoTarget();
    if (target === undefined) return { label: 'embedded PostgreSQL 18', environment: undefined, embedded: true };
    return { label: target.display, environment: undefined, embedded: false };
  }

  private autoTarget(): ConnectionTarget | undefined {
    const { url } = settings();
    return resolveConnectionTarget(url === '' ? undefined : url, { ...this.workspaceDotenv(), ...process.env });
  }

  /** Saves a password for a profile (the Connect flow asks for it once). */
  async storeProfilePassword(profile: ConnectionProfile, password: string): Promise<void> {
    await this.secrets.store(profileSecretKey(profile), password);
  }

  /**
   * The chosen server as a target with its password (for the probe runner, whose clients connect themselves);
   * undefined when the choice is the embedded database. Throws in an untrusted workspace.
   */
  async serverTarget(): Promise<{ target: ConnectionTarget; environment: EnvironmentTag; label: string } | undefined> {
    const server = this.chosenServer();
    if (server === undefined) return undefined;
    const stored = hasPassword(server.target) ? undefined : await this.secrets.get(server.secretKey);
    return {
      target: stored !== undefined ? withPassword(server.target, stored) : server.target,
      environment: server.environment,
      label: server.label,
    };
  }

  /** Opens a session to the chosen database; the caller must close it. */
  async open(): Promise<SqlSession> {
    const server = this.chosenServer();
    const { schemaFile, safety } = settings();
    if (server === undefined) return this.openEmbedded(schemaFile);
    return this.openWithPassword(server.target, server.secretKey, safety);
  }

  /**
   * The one reading of the choice both ways of connecting use: the chosen server (its password not yet added) and the
   * SecretStorage key of that password, or undefined for the embedded database. Throws in an untrusted workspace and
   * for a chosen profile that is no longer in settings.
   */
  private chosenServer(): { target: ConnectionTarget; secretKey: string; environment: EnvironmentTag; label: string } | undefined {
    if (!vscode.workspace.isTrusted)
      throw new UntrustedWorkspaceError(
        'Lockscope does not connect to databases in an untrusted workspace. Trust the workspace to use it.',
      );
    const choice = this.choice;
    if (choice.kind === 'embedded') return undefined;
    if (choice.kind === 'profile') {
      const profile = this.activeProfile();
      if (profile === undefined)
        throw new DbError(
          'config',
          `The connection "${choice.name}" is not in lockscope.connections: choose another (Lockscope: Choose Connection).`,
        );
      const label = profileLabel(profile);
      const target: ConnectionTarget = { connectionString: profileUrl(profile), origin: 'argument', display: label };
      return { target, secretKey: profileSecretKey(profile), environment: profile.environment, label };
    }
    const target = this.autoTarget();
    if (target === undefined) return undefined;
    // Without a profile there is no environment tag: treat the database as dev (no DDL probes).
    const secretKey = `lockscope.password:${redactUrl(target.connectionString ?? target.display)}`;
    return { target, secretKey, environment: 'dev', label: target.display };
  }

  private async openWithPassword(target: ConnectionTarget, secretKey: string, safety: SessionSafety): Promise<SqlSession> {
    const stored = hasPassword(target) ? undefined : await this.secrets.get(secretKey);
    const first = stored !== undefined ? withPassword(target, stored) : target;
    try {
      return await openServerSession(first, safety);
    } catch (error) {
      // Wrong or missing password on a URL without one: ask once, remember it in SecretStorage, retry.
      if (!DbError.is(error, 'auth') || hasPassword(target)) throw error;
      this.log.warn(`Login to ${target.display} failed; asking for the password.`);
      const password = await vscode.window.showInputBox({ prompt: `Password for ${target.display}`, password: true, ignoreFocusOut: true });
      if (password === undefined) throw error;
      const session = await openServerSession(withPassword(target, password), safety);
      await this.secrets.store(secretKey, password);
      return session;
    }
  }

  /** DATABASE_URL from the workspace's .env; the extension host's own environment wins. (node-postgres reads PG*
   *  variables from the process environment only, so those are not taken from .env.) */
  private workspaceDotenv(): Record<string, string> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder === undefined) return {};
    try {
      const values = parseDotenv(readFileSync(path.join(folder, '.env'), 'utf8'));
      const url = values.get('DATABASE_URL');
      return url === undefined || url === '' ? {} : { DATABASE_URL: url };
    } catch {
      return {};
    }
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async openEmbedded(schemaFile: string): Promise<SqlSession> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const file =
      schemaFile === '' ? undefined : path.isAbsolute(schemaFile) || folder === undefined ? schemaFile : path.join(folder, schemaFile);
    // Neither a database nor lockscope.schemaFile: the schema source discovery finds in the workspace, as the CLI does.
    const discovered =
      file === undefined && folder !== undefined ? await discoverWorkspaceSchema(folder, this.embeddedCacheDir) : undefined;
    const source =
      file !== undefined
        ? ` with ${file}`
        : discovered !== undefined
          ? ` with the schema discovered in the workspace: ${discovered.description}`
          : '';
    this.log.info(`No database configured: using the embedded PostgreSQL 18${source}.`);
    for (const note of discovered?.notes ?? []) this.log.info(note);
    // On a worker thread: PGlite's WASM compilation and schema load must not stall the extension host.
    const session = await openEmbeddedSessionThreaded(
      discovered?.options ?? (file === undefined ? {} : { schemaFile: file, cacheDir: this.embeddedCacheDir }),
    );
    if (session.schemaReport.cache === 'hit') this.log.info('Schema unchanged since it was last loaded: started from the saved copy.');
    for (const skipped of session.schemaReport.skipped)
      this.log.info(`${skipped.file}:${skipped.line} skipped: ${skipped.statement} (${skipped.reason})`);
    return session;
  }
}

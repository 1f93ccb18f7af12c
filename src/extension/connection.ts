/**
 * Which database the extension talks to: `lockscope.databaseUrl`, else DATABASE_URL / PG* of the extension host,
 * else the embedded PostgreSQL 18 with `lockscope.schemaFile`. Passwords live in SecretStorage, asked for once.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseDotenv } from '../core/config/dotenv.js';
import { redactUrl, resolveConnectionTarget, type ConnectionTarget } from '../db/connection-target.js';
import { openEmbeddedSession } from '../db/embedded-session.js';
import { DbError } from '../db/errors.js';
import { openServerSession } from '../db/server-session.js';
import { DEFAULT_SAFETY, type SessionSafety, type SqlSession } from '../db/session.js';
import type { Log } from './log.js';

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

export class ConnectionManager {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {}

  /** Opens a session to the configured database; the caller must close it. */
  async open(): Promise<SqlSession> {
    if (!vscode.workspace.isTrusted) {
      throw new UntrustedWorkspaceError('Lockscope does not connect to databases in an untrusted workspace. Trust the workspace to use it.');
    }
    const { url, schemaFile, safety } = settings();
    const target = resolveConnectionTarget(url === '' ? undefined : url, { ...this.workspaceDotenv(), ...process.env });
    if (target === undefined) return this.openEmbedded(schemaFile);
    const secretKey = `lockscope.password:${redactUrl(target.connectionString ?? target.display)}`;
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

  private async openEmbedded(schemaFile: string): Promise<SqlSession> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const file = schemaFile === '' ? undefined : path.isAbsolute(schemaFile) || folder === undefined ? schemaFile : path.join(folder, schemaFile);
    this.log.info(`No database configured: using the embedded PostgreSQL 18${file !== undefined ? ` with ${file}` : ''}.`);
    const session = await openEmbeddedSession(file === undefined ? {} : { schemaFile: file });
    for (const skipped of session.schemaReport.skipped) this.log.info(`schema line ${skipped.line} skipped: ${skipped.statement} (${skipped.reason})`);
    return session;
  }
}

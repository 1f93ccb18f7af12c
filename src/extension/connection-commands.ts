/**
 * Connect to Database…, Choose Connection and Disconnect: quick picks over the profiles in settings, a short form
 * that adds a profile (password to SecretStorage), and the embedded fallback. Each takes an optional argument so
 * keybindings and tests can skip the pickers.
 */
import * as vscode from 'vscode';
import { parseProfiles, type ConnectionProfile, type EnvironmentTag, type SslMode } from '../core/config/connection-profiles.js';
import type { ConnectionChoice, ConnectionManager } from './connection.js';

interface ChoiceItem extends vscode.QuickPickItem {
  choice: ConnectionChoice | 'new';
}

function choiceItems(connections: ConnectionManager, withNew: boolean): ChoiceItem[] {
  const current = connections.choice;
  const mark = (c: ConnectionChoice): string => (JSON.stringify(c) === JSON.stringify(current) ? '$(check) ' : '');
  const items: ChoiceItem[] = connections.profiles().map((p) => {
    const choice: ConnectionChoice = { kind: 'profile', name: p.name };
    return {
      label: `${mark(choice)}${p.name}`,
      description: `${p.user}@${p.host}:${p.port}/${p.database}`,
      detail: `${p.environment}${p.ssl === 'prefer' ? '' : ` · ssl ${p.ssl}`}`,
      choice,
    };
  });
  items.push({
    label: `${mark({ kind: 'auto' })}$(gear) From settings and environment`,
    description: 'lockscope.databaseUrl, DATABASE_URL (also from .env), PG* variables',
    choice: { kind: 'auto' },
  });
  items.push({
    label: `${mark({ kind: 'embedded' })}$(circle-slash) Embedded PostgreSQL 18`,
    description: 'no server: the schema file from lockscope.schemaFile',
    choice: { kind: 'embedded' },
  });
  if (withNew)
    items.unshift({ label: '$(add) New connection…', description: 'host, port, database, user, password, environment', choice: 'new' });
  return items;
}

async function ask(
  prompt: string,
  value: string,
  validate?: (v: string) => string | undefined,
  password = false,
): Promise<string | undefined> {
  return vscode.window.showInputBox({ prompt, value, password, ignoreFocusOut: true, validateInput: validate });
}

/** The form for a new profile; undefined when the user cancels at any step. */
async function newProfile(existing: readonly ConnectionProfile[]): Promise<{ profile: ConnectionProfile; password: string } | undefined> {
  const name = await ask('Connection name (shown in the status bar)', '', (v) =>
    v.trim() === '' ? 'A name is required' : existing.some((p) => p.name === v.trim()) ? 'A connection with this name exists' : undefined,
  );
  if (name === undefined) return undefined;
  const host = await ask('Host', 'localhost');
  if (host === undefined) return undefined;
  const port = await ask('Port', '5432', (v) =>
    /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port is 1–65535',
  );
  if (port === undefined) return undefined;
  const database = await ask('Database', '', (v) => (v.trim() === '' ? 'A database is required' : undefined));
  if (database === undefined) return undefined;
  const user = await ask('User', 'postgres');
  if (user === undefined) return undefined;
  const password = await ask(`Password for ${user}@${host} (kept in VS Code's secret storage)`, '', undefined, true);
  if (password === undefined) return undefined;
  const environment = await vscode.window.showQuickPick(['dev', 'staging', 'disposable'], {
    placeHolder: 'Environment: only disposable databases accept DDL in probes',
    ignoreFocusOut: true,
  });
  if (environment === undefined) return undefined;
  const ssl = await vscode.window.showQuickPick(['prefer', 'require', 'verify-full', 'disable'], {
    placeHolder: 'SSL mode',
    ignoreFocusOut: true,
  });
  if (ssl === undefined) return undefined;
  return {
    profile: {
      name: name.trim(),
      host: host.trim(),
      port: Number(port),
      database: database.trim(),
      user: user.trim(),
      environment: environment as EnvironmentTag,
      ssl: ssl as SslMode,
    },
    password,
  };
}

/** Appends a profile to lockscope.connections (workspace settings when a folder is open), password to secrets. */
async function saveProfile(connections: ConnectionManager, profile: ConnectionProfile, password: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('lockscope');
  const raw = config.get<unknown>('connections');
  const current = Array.isArray(raw) ? raw : [];
  const target = vscode.workspace.workspaceFolders === undefined ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
  await config.update('connections', [...current, profile], target);
  if (password !== '') await connections.storeProfilePassword(profile, password);
}

function choiceFromArgument(arg: unknown): ConnectionChoice | undefined {
  if (typeof arg !== 'string' || arg === '') return undefined;
  if (arg === 'auto' || arg === 'embedded') return { kind: arg };
  return { kind: 'profile', name: arg };
}

async function pickAndChoose(connections: ConnectionManager, arg: unknown, withNew: boolean): Promise<ConnectionChoice | undefined> {
  const fromArg = choiceFromArgument(arg);
  if (fromArg !== undefined) {
    if (fromArg.kind === 'profile' && !connections.profiles().some((p) => p.name === fromArg.name)) {
      void vscode.window.showErrorMessage(`Lockscope: there is no connection named "${fromArg.name}" in lockscope.connections.`);
      return undefined;
    }
    await connections.choose(fromArg);
    return fromArg;
  }
  const picked = await vscode.window.showQuickPick(choiceItems(connections, withNew), {
    placeHolder: 'Lockscope: which database should predictions and probes use?',
    matchOnDescription: true,
  });
  if (picked === undefined) return undefined;
  if (picked.choice !== 'new') {
    await connections.choose(picked.choice);
    return picked.choice;
  }
  const created = await newProfile(parseProfiles(vscode.workspace.getConfiguration('lockscope').get<unknown>('connections')).profiles);
  if (created === undefined) return undefined;
  await saveProfile(connections, created.profile, created.password);
  const choice: ConnectionChoice = { kind: 'profile', name: created.profile.name };
  await connections.choose(choice);
  return choice;
}

export const connectToDatabase = (connections: ConnectionManager, arg?: unknown): Promise<ConnectionChoice | undefined> =>
  pickAndChoose(connections, arg, true);
export const chooseConnection = (connections: ConnectionManager, arg?: unknown): Promise<ConnectionChoice | undefined> =>
  pickAndChoose(connections, arg, false);

export async function disconnect(connections: ConnectionManager): Promise<ConnectionChoice> {
  const choice: ConnectionChoice = { kind: 'embedded' };
  await connections.choose(choice);
  void vscode.window.showInformationMessage(
    'Lockscope: disconnected. Estimates now come from the embedded PostgreSQL 18 (with lockscope.schemaFile, if set).',
  );
  return choice;
}

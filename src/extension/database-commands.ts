/**
 * The commands that connect to a database, probe or measure: in an untrusted workspace each is contributed disabled
 * (`enablement: isWorkspaceTrusted` in package.json, checked against this list by test/unit/extension-manifest.test.ts)
 * and, run another way (executeCommand, a keybinding), says why instead of doing nothing. No vscode import: the unit
 * test reads it.
 */
export const DATABASE_COMMANDS: readonly string[] = [
  'lockscope.connect',
  'lockscope.chooseConnection',
  'lockscope.showServerLockProfile',
  'lockscope.refreshCatalog',
  'lockscope.showActivity',
  'lockscope.openProbeRunner',
  'lockscope.showLockCost',
  'lockscope.sampleWorkload',
];

/** The enablement clause those commands carry in package.json. */
export const TRUSTED_ONLY = 'isWorkspaceTrusted';

/** What a disabled command returns to its caller (the message is also shown and logged). */
export interface DisabledCommandResult {
  disabled: 'untrusted-workspace';
  message: string;
}

/** Why the command does nothing here, naming it by its title. */
export function untrustedMessage(title: string): DisabledCommandResult {
  return {
    disabled: 'untrusted-workspace',
    message: `"${title}" connects to a database, which Lockscope does not do in an untrusted workspace. Trust the workspace to use it.`,
  };
}

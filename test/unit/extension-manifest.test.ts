/** package.json's contributed commands agree with the extension's list of commands that need a trusted workspace. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import packageJson from '../../package.json';
import { DATABASE_COMMANDS, TRUSTED_ONLY } from '../../src/extension/database-commands.js';

interface ContributedCommand {
  command: string;
  title: string;
  enablement?: string;
}
interface MenuItem {
  command: string;
  when?: string;
}

const contributed = packageJson.contributes.commands as ContributedCommand[];
const menus = packageJson.contributes.menus as Record<string, MenuItem[]>;

test('exactly the commands that connect, probe or measure are contributed disabled in an untrusted workspace', () => {
  const disabled = contributed.filter((c) => c.enablement === TRUSTED_ONLY).map((c) => c.command);
  assert.deepEqual([...disabled].sort(), [...DATABASE_COMMANDS].sort());
  for (const id of DATABASE_COMMANDS)
    assert.ok(
      contributed.some((c) => c.command === id),
      `${id} is contributed`,
    );
  // Any other enablement would be a second, unlisted condition.
  assert.deepEqual(
    contributed.filter((c) => c.enablement !== undefined && c.enablement !== TRUSTED_ONLY).map((c) => c.command),
    [],
  );
});

test('menus show those commands disabled rather than hiding them on trust', () => {
  const hiding = Object.entries(menus).flatMap(([menu, items]) =>
    items
      .filter((i) => DATABASE_COMMANDS.includes(i.command) && /isWorkspaceTrusted/.test(i.when ?? ''))
      .map((i) => `${menu}: ${i.command}`),
  );
  assert.deepEqual(hiding, []);
});

/** Runs the editor benchmark (test/vscode/bench) inside the real VS Code extension host and prints its figures. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'run-vscode-tests.ts')], {
  env: { ...process.env, LOCKSCOPE_VSCODE_SUITE: 'bench' },
  encoding: 'utf8',
});
const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /editor bench|could not run|timed out/.test(l));
for (const line of lines) console.log(line.replace(/^\[extension host\] /, ''));
process.exit(result.status ?? 1);

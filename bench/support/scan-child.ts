/**
 * One `lockscope scan` from the TypeScript sources in a process of its own, for bench/scan.bench.ts when there is no
 * built dist/cli.js: the scan's JSON is written in pieces and discarded (as the CLI's stdout takes it), stderr
 * (progress, --timings) passed through.
 * Usage: node --import tsx bench/support/scan-child.ts PATH [scan options…]
 */
import { runCli } from '../../src/cli/main.js';

void runCli(['scan', ...process.argv.slice(2)], {
  stdout: () => undefined,
  write: () => undefined,
  stderr: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});

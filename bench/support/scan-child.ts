/**
 * One `lockscope scan` in a process of its own, for bench/scan.bench.ts: prints the wall time, the CPU time (user +
 * system) and the process's peak RSS as one JSON line on stdout, the scan's own output discarded.
 * Usage: node --import tsx bench/support/scan-child.ts PATH [scan options…]
 */
import { runCli } from '../../src/cli/main.js';

async function main(): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let summary = '';
  let bytes = 0;
  const code = await runCli(['scan', ...process.argv.slice(2)], {
    stdout: (t) => (bytes += t.length),
    stderr: (t) => {
      if (/files, \d+ skipped/.test(t)) summary = t.trim();
    },
    env: {},
  });
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({
      code,
      wallMs: Math.round(performance.now() - started),
      cpuMs: Math.round((used.user + used.system) / 1000),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      outputBytes: bytes,
      summary,
    })}\n`,
  );
}

void main();

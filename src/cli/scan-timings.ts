/**
 * `lockscope scan --timings`: per-phase wall time, the process's CPU time (every thread) and its peak RSS so far,
 * printed on stderr one line per phase, so where a scan's time and memory go can be read without a profiler.
 */

export interface PhaseTimer {
  /** Ends the phase running now and starts `next` (undefined: the last phase ended). */
  mark(next?: string): void;
}

interface Running {
  name: string;
  startedMs: number;
  cpu: NodeJS.CpuUsage;
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** A timer that says nothing, for scans without --timings. */
export const NO_TIMINGS: PhaseTimer = { mark: () => undefined };

/** A timer writing `lockscope: timing <phase>: <wall> ms wall, <cpu> ms CPU, peak RSS <n> MB` per phase to `out`. */
export function phaseTimer(out: (line: string) => void, first: string): PhaseTimer {
  const begin = (name: string): Running => ({ name, startedMs: performance.now(), cpu: process.cpuUsage() });
  let running: Running | undefined = begin(first);
  const started = running;
  return {
    mark(next?: string): void {
      if (running === undefined) return;
      const cpu = process.cpuUsage(running.cpu);
      out(
        `lockscope: timing ${running.name}: ${Math.round(performance.now() - running.startedMs)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU, peak RSS ${peakRssMb()} MB`,
      );
      if (next !== undefined) {
        running = begin(next);
        return;
      }
      running = undefined;
      const total = process.cpuUsage(started.cpu);
      out(
        `lockscope: timing total: ${Math.round(performance.now() - started.startedMs)} ms wall, ${Math.round((total.user + total.system) / 1000)} ms CPU, peak RSS ${peakRssMb()} MB`,
      );
    },
  };
}

/**
 * One keystroke's way from the edit to `DiagnosticCollection.set`, hop by hop (the extension's and the analysis
 * worker's epoch marks, src/analysis-worker/timing.ts), printed per keystroke and as medians by the editor bench.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { LintTiming } from '../../../src/analysis-worker/timing.js';

/** What `lockscope.diagnosticsTiming` returns (src/extension/editor-features.ts). */
export interface DiagnosticsTiming {
  version: number;
  setAt: number;
  mapMs: number;
  changed: number | undefined;
  mapStart: number;
  set: number;
  unchanged: boolean;
  lint: LintTiming;
}

/** The hops, in order; each is the time from the previous mark to this one. */
export const HOPS = [
  'edit→change', // the edit applied by VS Code (extension host → renderer → back) until the change event
  'change→post', // the extension's handler until the request is posted to the worker
  'post→worker', // the message crossing to the worker's thread
  'queue', // waiting in the worker behind earlier requests
  'update',
  'scan',
  'analyze',
  'rules',
  'portable',
  'delta',
  'parts', // parts posted and acknowledged before the last reply
  'reply→host', // the last reply crossing to the host's thread and its message event
  'decode',
  'settle→map', // promise hand-offs until the mapping starts
  'map+set',
] as const;
export type Hop = (typeof HOPS)[number];

/** The hops of one keystroke typed at epoch `start`. */
export function hopsOf(start: number, t: DiagnosticsTiming): Record<Hop, number> {
  const w = t.lint.worker;
  const h = t.lint.host;
  const changed = t.changed ?? h.sent;
  const marks: Array<[Hop, number]> = [
    ['edit→change', changed],
    ['change→post', h.sent],
    ['post→worker', w.received],
    ['queue', w.start],
    ['update', w.update],
    ['scan', w.scan],
    ['analyze', w.analyze],
    ['rules', w.rules],
    ['portable', w.portable],
    ['delta', w.encoded],
    ['parts', w.posted],
    ['reply→host', h.replied],
    ['decode', h.decoded],
    ['settle→map', t.mapStart],
    ['map+set', t.set],
  ];
  const out = {} as Record<Hop, number>;
  let last = start;
  for (const [hop, at] of marks) {
    out[hop] = at - last;
    last = at;
  }
  return out;
}

/** Garbage collection on this (the extension host's) thread while `work` runs. */
export async function hostGc<T>(work: () => Promise<T>): Promise<{ result: T; gcMs: number }> {
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await work();
    await new Promise((r) => setImmediate(r)); // deliver the last entries
    return { result, gcMs };
  } finally {
    observer.disconnect();
  }
}

/** "edit→change 9, change→post 0, …" for one keystroke (ms, hops under 0.5 ms left out), with the worker's GC. */
export function formatHops(hops: Record<Hop, number>, extra: string): string {
  const parts = HOPS.filter((hop) => hops[hop] >= 0.5).map((hop) => `${hop} ${hops[hop].toFixed(0)}`);
  return `${parts.join(', ')}${extra}`;
}

/** Median of every hop over the keystrokes. */
export function medianHops(all: Array<Record<Hop, number>>): Record<Hop, number> {
  const out = {} as Record<Hop, number>;
  for (const hop of HOPS) {
    const xs = all.map((h) => h[hop]).sort((a, b) => a - b);
    out[hop] = xs[Math.floor(xs.length / 2)] ?? 0;
  }
  return out;
}

/** Worker GC per keystroke: each collection reported (with any later lint's marks) placed in the lint it fell in. */
export function workerGcPerLint(timings: DiagnosticsTiming[], later: Array<[number, number]>): number[] {
  const all = [...timings.flatMap((t) => t.lint.worker.gc), ...later];
  return timings.map((t) =>
    all.filter(([at]) => at >= t.lint.worker.received && at <= t.lint.worker.posted).reduce((sum, [, ms]) => sum + ms, 0),
  );
}

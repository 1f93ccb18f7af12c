/**
 * The triage sample: 20 warning/error findings per app, spread evenly over the sorted list, merged with the verdicts
 * already written in triage/<app>.md (true / plausible / false, one line each, judged by reading the code).
 */
import { existsSync, readFileSync } from 'node:fs';
import { type ScanFinding } from './measure.js';

export const SAMPLE_SIZE = 20;
export type Verdict = 'true' | 'plausible' | 'false' | '?';

export interface TriageLine {
  verdict: Verdict;
  key: string;
  note: string;
}

/** A finding's identity across reruns: severity, rule, file and 1-based line. */
export function keyOf(f: ScanFinding): string {
  return `${f.severity} ${f.ruleId} ${f.file}:${f.range.start.line + 1}`;
}

export function sample(findings: readonly ScanFinding[]): ScanFinding[] {
  const sorted = [...findings].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  if (sorted.length <= SAMPLE_SIZE) return sorted;
  const step = sorted.length / SAMPLE_SIZE;
  return Array.from({ length: SAMPLE_SIZE }, (_, i) => sorted[Math.floor(i * step)]!);
}

const LINE = /^- (true|plausible|false|\?) \| ([^|]+?) \| (.*)$/;

export function readVerdicts(file: string): Map<string, TriageLine> {
  const out = new Map<string, TriageLine>();
  if (!existsSync(file)) return out;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    const m = LINE.exec(text);
    if (m) out.set(m[2]!, { verdict: m[1] as Verdict, key: m[2]!, note: m[3]! });
  }
  return out;
}

/** Heads the verdicts kept for findings still reported but outside this run's sample (not counted in the tally). */
export const KEPT_HEADING = '## Judged earlier, still reported, outside this sample';

/**
 * The triage file's text: the sample with known verdicts kept, new findings marked `?` with their message; then the
 * verdicts of findings the scan still reports (`reported`, every triageable key) that left the sample, so a redrawn
 * sample does not throw away what was read against the code. Verdicts of findings no longer reported are dropped.
 */
export function triageText(
  app: string,
  picked: readonly ScanFinding[],
  known: Map<string, TriageLine>,
  reported: ReadonlySet<string>,
): string {
  const lines = picked.map((f) => {
    const old = known.get(keyOf(f));
    const note = old?.note ?? f.message.slice(0, 160);
    return `- ${old?.verdict ?? '?'} | ${keyOf(f)} | ${note}`;
  });
  const inSample = new Set(picked.map(keyOf));
  const kept = [...known.values()]
    .filter((t) => t.verdict !== '?' && !inSample.has(t.key) && reported.has(t.key))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((t) => `- ${t.verdict} | ${t.key} | ${t.note}`);
  const keptText = kept.length === 0 ? '' : `\n${KEPT_HEADING}\n\n${kept.join('\n')}\n`;
  return `# Triage: ${app}\n\nverdict | severity rule file:line | why (read against the code)\n\n${lines.join('\n')}\n${keptText}`;
}

/** The sample's part of a triage file's text (what the tally and the false-error count read). */
export function sampleSection(text: string): string {
  const at = text.indexOf(KEPT_HEADING);
  return at < 0 ? text : text.slice(0, at);
}

/** Verdicts of the sample only: kept verdicts of findings outside it do not count. */
export function tally(text: string): Record<Verdict, number> {
  const count: Record<Verdict, number> = { true: 0, plausible: 0, false: 0, '?': 0 };
  for (const m of sampleSection(text).matchAll(/^- (true|plausible|false|\?) \|/gm)) count[m[1] as Verdict]++;
  return count;
}

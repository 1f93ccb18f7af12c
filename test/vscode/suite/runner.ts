/** A minimal test runner for the extension host: sequential tests with timeouts, results to a JSON file. */
import { writeFileSync } from 'node:fs';

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

type TestFn = () => Promise<void> | void;
const tests: Array<{ name: string; fn: TestFn; timeoutMs: number }> = [];

export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  tests.push({ name, fn, timeoutMs });
}

export async function runAll(resultsFile: string | undefined): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const t of tests) {
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(t.fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs} ms`)), t.timeoutMs);
        }),
      ]);
      results.push({ name: t.name, ok: true, ms: Date.now() - start });
    } catch (error) {
      results.push({
        name: t.name,
        ok: false,
        ms: Date.now() - start,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } finally {
      clearTimeout(timer);
    }
    const last = results[results.length - 1];
    console.log(`${last?.ok ? 'ok  ' : 'FAIL'} ${t.name} (${last?.ms ?? 0} ms)${last?.ok ? '' : `\n${last?.error ?? ''}`}`);
  }
  if (resultsFile !== undefined) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
  return results;
}

/** lockscope scan over files against the embedded database: text, JSON and SARIF, exit codes, progress on stderr. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';

const SCHEMA = join(__dirname, '..', '..', 'examples', 'shop', 'schema.sql');
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockscope-scan-'));
  writeFileSync(
    join(dir, 'checkout.sql'),
    [
      'BEGIN;',
      'SELECT * FROM orders WHERE id = 42 FOR UPDATE;',
      "SELECT count(*) FROM events WHERE kind = 'checkout';",
      'SAVEPOINT before_payment;',
      "INSERT INTO payments (order_id, amount_cents, provider) VALUES (42, 1999, 'card');",
      'COMMIT;',
      'CREATE INDEX orders_risk_idx ON orders (coupon);',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'broken.sql'), 'SELEC 1;');
  writeFileSync(join(dir, 'README.txt'), 'not scanned');
});

async function scan(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['scan', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += `${t}\n`), env: {} });
  return { code, out, err };
}

test('text: sites with lock totals and findings; no error-severity finding → exit 0', async () => {
  const { code, out, err } = await scan([dir, '--schema', SCHEMA]);
  assert.equal(code, 0, err);
  assert.match(out, /checkout\.sql \(sql\)/);
  assert.match(out, /2:1 +sql-file +23 locks · 7 slow-path +SELECT \* FROM orders WHERE id = 42 FOR UPDATE +\(in BEGIN … COMMIT\)/);
  assert.match(out, /checkout\.sql:3:1 +warning +partition-without-pruning/);
  assert.match(out, /checkout\.sql:4:1 +info +subtransaction/);
  assert.match(out, /checkout\.sql:7:1 +warning +create-index-not-concurrently/);
  assert.match(out, /broken\.sql \(sql\)\n +1:1 +problem: SQL does not parse: syntax error at or near "SELEC"/);
  assert.match(err, /2 files, 0 skipped, 4 query sites, \d+ findings/);
});

test('json: files, sites, transactions and findings', async () => {
  const { out } = await scan([dir, '--schema', SCHEMA, '--format', 'json']);
  const doc = JSON.parse(out) as {
    server: { version: string };
    files: Array<{ file: string; sites: Array<{ totals: { locks: number } }> }>;
    transactions: Array<{ sites: number; totals: { locks: number } }>;
    findings: Array<{ ruleId: string }>;
  };
  assert.match(doc.server.version, /^18\./);
  const checkout = doc.files.find((f) => f.file.endsWith('checkout.sql'));
  assert.equal(checkout?.sites.length, 4);
  assert.equal(checkout?.sites[0]?.totals.locks, 23);
  assert.equal(doc.transactions.length, 1);
  assert.equal(doc.transactions[0]?.sites, 3);
  assert.ok(doc.findings.some((f) => f.ruleId === 'create-index-not-concurrently'));
});

test('json written in pieces (a sink that takes them, as the CLI’s stdout does) is the same bytes as one text (#13)', async () => {
  // A secret-looking value in a scanned file: redacted in the pieces exactly as in the one text.
  const withSecret = join(dir, 'leak.sql');
  writeFileSync(withSecret, "SELECT * FROM orders WHERE note = 'postgres://app:hunter2@db/shop password=hunter2';");
  try {
    const whole = await scan([dir, '--schema', SCHEMA, '--format', 'json']);
    const pieces: string[] = [];
    const code = await runCli(['scan', dir, '--schema', SCHEMA, '--format', 'json'], {
      stdout: () => assert.fail('JSON goes through write'),
      write: (chunk) => pieces.push(chunk),
      stderr: () => undefined,
      env: {},
    });
    assert.equal(code, whole.code);
    assert.equal(pieces.join(''), `${whole.out}\n`);
    assert.doesNotMatch(whole.out, /hunter2/);
    assert.match(whole.out, /leak\.sql/);
  } finally {
    rmSync(withSecret);
  }
});

test('sarif: a 2.1.0 log with rules, regions, related locations and fixes', async () => {
  const { out } = await scan([dir, '--schema', SCHEMA, '--format', 'sarif']);
  const log = JSON.parse(out) as {
    version: string;
    runs: Array<{
      tool: { driver: { name: string; rules: Array<{ id: string; helpUri: string }> } };
      results: Array<{
        ruleId: string;
        ruleIndex: number;
        level: string;
        locations: Array<{ physicalLocation: { region: { startLine: number; startColumn: number } } }>;
        fixes?: unknown[];
      }>;
    }>;
  };
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.equal(run?.tool.driver.name, 'Lockscope');
  assert.ok((run?.tool.driver.rules.length ?? 0) >= 10);
  for (const result of run?.results ?? []) {
    assert.equal(run?.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(result.level));
    assert.ok((result.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1);
  }
  const createIndex = run?.results.find((r) => r.ruleId === 'create-index-not-concurrently');
  assert.equal(createIndex?.locations[0]?.physicalLocation.region.startLine, 7);
  assert.equal(createIndex?.fixes?.length, 1);
});

test('an error-severity finding exits 1; --severity can lower it or turn a rule off', async () => {
  const raised = await scan([dir, '--schema', SCHEMA, '--severity', 'subtransaction=error']);
  assert.equal(raised.code, 1);
  const off = await scan([dir, '--schema', SCHEMA, '--severity', 'subtransaction=off', '--format', 'json']);
  assert.equal(off.code, 0);
  assert.ok(!(JSON.parse(off.out) as { findings: Array<{ ruleId: string }> }).findings.some((f) => f.ruleId === 'subtransaction'));
  const bad = await scan([dir, '--severity', 'subtransaction=loud']);
  assert.equal(bad.code, 2);
  // A misspelt rule id was silently ignored before: now it is bad input, naming the rules there are.
  const misspelt = await scan([dir, '--severity', 'subtransactions=off']);
  assert.equal(misspelt.code, 2);
  assert.match(misspelt.err, /unknown rule "subtransactions".*subtransactions-in-loop/);
});

test('without a database the scan still lists sites and subtransactions, and says so', async () => {
  const { code, out, err } = await scan([join(dir, 'checkout.sql')]);
  assert.equal(code, 0);
  assert.match(err, /no database/);
  assert.match(out, /subtransaction/);
});

test('a missing path is bad input', async () => {
  const { code, err } = await scan([join(dir, 'nope')]);
  assert.equal(code, 2);
  assert.match(err, /No such file or folder/);
});

test('bad input in code is reported and skipped, never a crash: syntax errors, binary, huge files, SQL that does not parse', async () => {
  const bad = mkdtempSync(join(tmpdir(), 'lockscope-scan-bad-'));
  writeFileSync(join(bad, 'broken.py'), 'def f(cur):\n    cur.execute("SELECT * FROM orders WHERE id = %s", (1,))\n\ndef g(:\n    pass\n');
  writeFileSync(join(bad, 'dynamic.py'), 'def f(cur, table):\n    cur.execute(f"ANALYZE {table}")\n');
  writeFileSync(join(bad, 'blob.go'), `package x\n\x00\x01\x02`);
  writeFileSync(join(bad, 'bundle.js'), `// generated\n${'const x = 1;\n'.repeat(200_000)}`);
  const { code, out, err } = await scan([bad, '--schema', SCHEMA, '--format', 'json']);
  assert.equal(code, 0, err);
  const report = JSON.parse(out) as {
    files: Array<{ file: string; sites: Array<{ sql: string; error?: string }>; problems: Array<{ message: string }> }>;
  };
  const file = (name: string) => report.files.find((f) => f.file.endsWith(name));
  assert.match(file('broken.py')?.problems[0]?.message ?? '', /syntax errors/);
  assert.deepEqual(
    file('broken.py')?.sites.map((s) => s.sql),
    ['SELECT * FROM orders WHERE id = $1'],
    'the query before the error is still found',
  );
  assert.match(file('dynamic.py')?.sites[0]?.error ?? '', /SQL does not parse/);
  assert.match(file('blob.go')?.problems[0]?.message ?? '', /binary/);
  assert.match(file('bundle.js')?.problems[0]?.message ?? '', /larger than 2 MB/);
});

test('query-like calls that are not sites are counted in text and listed in JSON with their reason (#13)', async () => {
  const code = mkdtempSync(join(tmpdir(), 'lockscope-unresolved-'));
  writeFileSync(
    join(code, 'jobs.py'),
    [
      'def purge(cursor, table):',
      '    sql = build_purge(table)',
      '    cursor.execute(sql)',
      '',
      'def hold(pk):',
      '    return Ghost.objects.select_for_update().get(pk=pk)',
      '',
      'def fine(cursor):',
      '    cursor.execute("SELECT 1")',
      '',
    ].join('\n'),
  );
  const text = await scan([code]);
  assert.match(text.out, /^2 query-like calls not resolved \(1 unknown-model, 1 dynamic-sql\); --format json lists them$/m);
  const { out } = await scan([code, '--format', 'json']);
  const doc = JSON.parse(out) as {
    unresolved: Array<{ file: string; line: number; column: number; call: string; reason: string }>;
    unresolvedCounts: Record<string, number>;
  };
  assert.deepEqual(
    doc.unresolved.map((u) => [u.file.endsWith('jobs.py'), u.line, u.column, u.call, u.reason]),
    [
      [true, 3, 5, 'cursor.execute(sql)', 'dynamic-sql'],
      [true, 6, 12, 'Ghost.objects.select_for_update().get(pk=pk)', 'unknown-model'],
    ],
  );
  assert.deepEqual(doc.unresolvedCounts, {
    'unknown-model': 1,
    'unresolved-receiver': 0,
    'unknown-helper': 0,
    'dynamic-sql': 1,
    'unrecognised-call': 0,
  });
});

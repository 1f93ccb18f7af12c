/**
 * The motivating cascade in its real shape (test/fixtures/cascade/python-service): a gateway service loops over its
 * tools awaiting `self.tool_service.set_tool_state(…)` — a service object built in `__init__`, its class in another
 * module — whose first line calls a generic `get_for_update(db, DbTool, id)` helper that builds its statement across
 * assignments; models are imported under aliases. `lockscope scan` must flag the loop; the bulk UPDATE must not be.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import type { Finding } from '../../src/core/rules/types.js';

const APP = join(__dirname, '..', 'fixtures', 'cascade', 'python-service');
const GATEWAYS = join(APP, 'app', 'services', 'gateway_service.py');

const lineOf = (needle: string): number =>
  readFileSync(GATEWAYS, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));

test('the service-layer cascade is flagged at the loop across three files; its bulk rewrite is not', async () => {
  let out = '';
  let err = '';
  // No catalog: the finding comes from the code alone (the embedded database would cost ~30 s here).
  const code = await runCli(['scan', APP, '--format', 'json'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += `${t}\n`),
    env: {},
  });
  assert.equal(code, 1, `cascading-row-locks is an error: exit 1\n${err}`);
  const findings = (JSON.parse(out) as { findings: Finding[] }).findings.filter((f) => f.file === GATEWAYS);
  const loopCall = lineOf('await self.tool_service.set_tool_state(');
  const cascade = findings.find((f) => f.ruleId === 'cascading-row-locks');
  assert.equal(cascade?.range.start.line, loopCall, JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line])));
  assert.match(cascade.message, /gateways is locked, then tools rows are locked one per iteration/);
  assert.match(cascade.help, /UPDATE tools SET … WHERE/);
  assert.ok(cascade.related.some((r) => r.range.start.line === lineOf('for tool in gateway.tools:')));

  const bulkStart = lineOf('async def set_gateway_state_bulk');
  assert.deepEqual(
    findings.filter((f) => f.range.start.line > bulkStart && (f.ruleId === 'cascading-row-locks' || f.ruleId === 'row-lock-in-loop')),
    [],
    'the bulk UPDATE is not a cascade',
  );
});

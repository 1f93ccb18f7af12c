/**
 * Accuracy suite: every case's predicted locks (relation, mode, fast path) must equal pg_locks on a real
 * PostgreSQL 15 cluster and on PGlite (PostgreSQL 18). Prints the agreement figures, and checks (or with
 * LOCKSCOPE_RECORD_ACCURACY=1 rewrites) the recordings test/fixtures/accuracy/<target>.json the unit tests predict.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Catalog } from '../../../src/core/catalog.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadCatalog } from '../../../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../../src/db/embedded-session.js';
import { openServerSession } from '../../../src/db/server-session.js';
import { DEFAULT_SAFETY, type SqlSession } from '../../../src/db/session.js';
import {
  pruneCatalog,
  readRecording,
  RECORD_ENV,
  RERECORD_HINT,
  staleness,
  writeRecording,
  type AccuracyRecording,
} from '../../support/accuracy-golden.js';
import { startCluster, type PgCluster } from '../../support/pg-cluster.js';
import { ACCURACY_CASES } from './cases.js';
import { runCase, type CaseResult } from './harness.js';

const SCHEMA = readFileSync(join(__dirname, 'schema.sql'), 'utf8');

interface Target {
  name: string;
  open(): Promise<SqlSession>;
  close(): void;
}

let cluster: PgCluster | undefined;
const targets: Target[] = [
  {
    name: 'pg15',
    async open() {
      cluster = await startCluster();
      cluster.psql('CREATE DATABASE accuracy');
      cluster.psql(SCHEMA, 'accuracy');
      const target = resolveConnectionTarget(cluster.urlFor('accuracy'), {});
      if (target === undefined) throw new Error('no target');
      return openServerSession(target, { ...DEFAULT_SAFETY, readOnly: false, statementTimeoutMs: 30000 });
    },
    close: () => cluster?.stop(),
  },
  { name: 'pg18', open: () => openEmbeddedSession({ schemaSql: SCHEMA }), close: () => undefined },
];

test('the suite has at least 150 cases with unique ids', () => {
  assert.ok(ACCURACY_CASES.length >= 150, `${ACCURACY_CASES.length} cases`);
  assert.equal(new Set(ACCURACY_CASES.map((c) => c.id)).size, ACCURACY_CASES.length);
});

for (const target of targets) {
  describe(`accuracy on ${target.name}`, () => {
    let session: SqlSession;
    let catalog: Catalog;
    const results: CaseResult[] = [];
    before(async () => {
      await loadSqlParser();
      session = await target.open();
      catalog = await loadCatalog(session);
    });
    after(async () => {
      const exact = results.filter((r) => r.exact).length;
      const locks = results.reduce((n, r) => n + r.measured, 0);
      const wrong = results.reduce((n, r) => n + r.missing.length + r.extra.length, 0);
      console.log(
        `accuracy ${target.name} (PostgreSQL ${catalog?.profile.version ?? '?'}): ${exact}/${results.length} cases exact; ${locks} measured locks, ${wrong} differing`,
      );
      await session?.close();
      target.close();
    });
    for (const testCase of ACCURACY_CASES) {
      test(`${testCase.id}: ${testCase.covers}`, async () => {
        const result = await runCase(session, catalog, testCase);
        results.push(result);
        assert.equal(result.error, undefined);
        assert.ok(
          result.exact,
          `predicted ${result.predicted}, measured ${result.measured}\n  missing: ${result.missing.join('; ')}\n  extra:   ${result.extra.join('; ')}`,
        );
      });
    }
    test(`the recording test/fixtures/accuracy/${target.name}.json still equals pg_locks`, () => {
      const recorded = results.flatMap((r) => (r.recorded === undefined ? [] : [r.recorded]));
      assert.equal(recorded.length, ACCURACY_CASES.length, 'every case must have run to be recorded');
      const touched = new Set(results.flatMap((r) => r.touched));
      const current: AccuracyRecording = { target: target.name, catalog: pruneCatalog(catalog, touched), cases: recorded };
      if (process.env[RECORD_ENV] === '1') writeRecording(current);
      const problems = staleness(readRecording(target.name), current);
      assert.deepEqual(problems, [], `the recording is stale; ${RERECORD_HINT}`);
    });
  });
}

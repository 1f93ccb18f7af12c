/**
 * Golden test of the predictor: every accuracy case recorded on a real server (test/fixtures/accuracy/<target>.json:
 * its catalog snapshot and pg_locks' answer) is predicted from the recorded catalog and must match, without a
 * cluster. The integration run (test/integration/accuracy) checks the recordings still equal pg_locks.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { catalogOf, predictedKeys, readRecording, RERECORD_HINT } from '../../support/accuracy-golden.js';

for (const target of ['pg15', 'pg18']) {
  describe(`predictions equal the recorded pg_locks of ${target}`, () => {
    const recording = readRecording(target);
    before(loadSqlParser);
    test('the recording exists and covers the suite', () => {
      assert.ok(recording !== undefined, `test/fixtures/accuracy/${target}.json is missing; ${RERECORD_HINT}`);
      assert.ok(recording.cases.length >= 150, `${recording.cases.length} cases`);
    });
    const catalog = recording === undefined ? undefined : catalogOf(recording);
    for (const recorded of recording?.cases ?? []) {
      test(`${recorded.id}: ${recorded.sql.join('; ').slice(0, 100)}`, () => {
        assert.ok(catalog !== undefined);
        assert.deepEqual(predictedKeys(catalog, recorded.sql, recorded.measure), recorded.locks);
      });
    }
  });
}

/** DO, CALL, PREPARE/EXECUTE/DEALLOCATE and LOAD are refused: code the guard cannot see into. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll } from './harness.js';

before(() => loadSqlParser());

test('procedural code is refused, also on a disposable database', () => {
  for (const disposable of [false, true])
    expectAll(
      [
        ['DO $$ BEGIN UPDATE t SET v = 1; COMMIT; END $$', 'procedural-code'],
        ["DO LANGUAGE plpgsql 'BEGIN NULL; END'", 'procedural-code'],
        ['CALL commit_things()', 'procedural-code'],
        ['PREPARE p AS DELETE FROM t', 'procedural-code'],
        ['EXECUTE p', 'procedural-code'],
        ['DEALLOCATE ALL', 'procedural-code'],
        ["LOAD 'auto_explain'", 'procedural-code'],
        ['EXPLAIN ANALYZE EXECUTE p', 'procedural-code'],
        ['SELECT do_things()', 'allowed'],
      ],
      { purpose: 'probe', disposable },
    );
});

/** COPY to/from programs and server files, LISTEN/UNLISTEN/NOTIFY are refused; COPY with STDIN/STDOUT is not. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll } from './harness.js';

before(() => loadSqlParser());

test('statements that reach outside the database are refused, disposable or not', () => {
  for (const disposable of [false, true])
    expectAll(
      [
        ["COPY t TO PROGRAM 'touch /tmp/x'", 'outside-io'],
        ["COPY t FROM PROGRAM 'echo 1'", 'outside-io'],
        ["COPY (SELECT 1) TO '/tmp/out.csv'", 'outside-io'],
        ["COPY t FROM '/etc/passwd'", 'outside-io'],
        ['LISTEN chan', 'outside-io'],
        ['UNLISTEN *', 'outside-io'],
        ["NOTIFY chan, 'hello'", 'outside-io'],
        ['CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY chan', 'outside-io'],
        ['COPY t TO STDOUT', 'allowed'],
        ['COPY (SELECT * FROM t) TO STDOUT WITH (FORMAT csv)', 'allowed'],
      ],
      { disposable },
    );
});

test('COPY FROM STDIN is refused in a load probe only (no data to send)', () => {
  expectAll([['COPY t FROM STDIN', 'outside-io']], { purpose: 'probe' });
  expectAll([['COPY t FROM STDIN', 'allowed']], { purpose: 'execute' });
});

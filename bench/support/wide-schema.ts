/** Generates a large schema on a cluster quickly: N tables with K indexes each, via one server-side DO block. */
import type { PgCluster } from '../../test/support/pg-cluster.js';

export function createWideSchema(cluster: PgCluster, database: string, tables: number, indexesPerTable: number): void {
  const columns = Array.from({ length: indexesPerTable }, (_, i) => `c${i} int`).join(', ');
  cluster.psql(
    `
    DO $$
    BEGIN
      FOR t IN 1..${tables} LOOP
        EXECUTE format('CREATE TABLE bt%s (id int PRIMARY KEY, ref int, ${columns})', t);
        FOR i IN 1..${indexesPerTable - 1} LOOP
          EXECUTE format('CREATE INDEX bt%s_c%s_idx ON bt%s (c%s)', t, i, t, i);
        END LOOP;
      END LOOP;
    END $$;`,
    database,
  );
}

/** A deterministic mix of statements over the generated tables: point reads, joins, updates, row locks. */
export function statementMix(count: number, tables: number, firstSeed = 42): string[] {
  const out: string[] = [];
  let seed = firstSeed;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return 1 + (seed % tables);
  };
  for (let i = 0; i < count; i++) {
    const a = next();
    const b = next();
    switch (i % 4) {
      case 0:
        out.push(`SELECT * FROM bt${a} WHERE id = $1`.replace('$1', String(i)));
        break;
      case 1:
        out.push(`SELECT * FROM bt${a} x JOIN bt${b} y ON y.ref = x.id WHERE x.id = ${i}`);
        break;
      case 2:
        out.push(`UPDATE bt${a} SET c1 = c1 + 1 WHERE id = ${i}`);
        break;
      default:
        out.push(`SELECT * FROM bt${a} WHERE ref = ${i} FOR UPDATE SKIP LOCKED`);
    }
  }
  return out;
}

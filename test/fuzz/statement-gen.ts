/**
 * Seeded statements over a fuzz schema, each tagged with the class it exercises: partition pruning by operator and
 * key type, row locks, DML executed on seeded rows (FK checks, cascades, routing, sequences), and DDL of every kind
 * that can run inside a transaction block (executed, then rolled back).
 */
import { spell } from './key-types.js';
import type { Random } from './random.js';
import { DELETED_ROW, type FuzzSchema, type FuzzTable } from './schema-gen.js';

export interface FuzzCase {
  /** What the case exercises, e.g. "prune-in" or "ddl-create-index"; mismatches are counted by it. */
  cls: string;
  /** Finer detail for the report, e.g. "list/int8". */
  detail: string;
  sql: string;
  measure: 'explain' | 'execute';
}

const ROW_LOCKS = ['FOR UPDATE', 'FOR NO KEY UPDATE', 'FOR SHARE', 'FOR KEY SHARE'];

function heldOrdinals(t: FuzzTable): number[] {
  const part = t.partitioning;
  if (part === undefined) return [0];
  const held = part.parts.flatMap((p) => p.ordinals);
  return held.length > 0 ? held : [0, 1, 2, 3];
}

function pruneCase(rng: Random, t: FuzzTable): FuzzCase {
  const part = t.partitioning;
  if (part === undefined) throw new Error('not partitioned');
  const key = part.key;
  const ord = (): number => (rng.chance(0.8) ? rng.pick(heldOrdinals(t)) : rng.int(0, key.size - 1));
  const lit = (): string => spell(rng, key, ord());
  const typed = (): string => `${key.bound(ord())}::${key.sql}`;
  const ops: Array<[string, () => string]> = [
    ['eq', () => `k = ${lit()}`],
    ['eq-flipped', () => `${lit()} = k`],
    ['in', () => `k IN (${lit()}, ${lit()})`],
    ['any', () => `k = ANY (ARRAY[${typed()}, ${typed()}])`],
    ['ne', () => `k <> ${lit()}`],
    ['not-in', () => `k NOT IN (${lit()}, ${lit()})`],
    ['or', () => `(k = ${lit()} OR k = ${lit()})`],
    ['is-null', () => 'k IS NULL'],
    ['is-not-null', () => 'k IS NOT NULL'],
    ['and-n', () => `k = ${lit()} AND n = 0`],
  ];
  if (key.ranged)
    ops.push(
      ['between', () => `k BETWEEN ${lit()} AND ${lit()}`],
      ['lt', () => `k < ${lit()}`],
      ['le', () => `k <= ${lit()}`],
      ['gt', () => `k > ${lit()}`],
      ['ge', () => `k >= ${lit()}`],
      ['range', () => `k >= ${lit()} AND k < ${lit()}`],
    );
  if (key.stableSpellings !== undefined) {
    const stable = key.stableSpellings;
    ops.push(['stable-cross-type', () => `k = ${rng.pick(stable(ord()))}`]);
  }
  const [op, where] = rng.pick(ops);
  const detail = `${part.strategy}/${key.name}`;
  const shape = rng.int(0, 9);
  if (shape === 0)
    return {
      cls: 'prune-join-eq',
      detail,
      sql: `SELECT * FROM fz.${t.name} a JOIN fz.${t.name} b ON a.k = b.k WHERE a.k = ${lit()}`,
      measure: 'explain',
    };
  if (shape === 1)
    return {
      cls: `prune-${op}-rowlock`,
      detail,
      sql: `SELECT * FROM fz.${t.name} WHERE ${where()} ${rng.pick(ROW_LOCKS)}`,
      measure: 'explain',
    };
  if (shape === 2)
    return { cls: `prune-${op}-update`, detail, sql: `UPDATE fz.${t.name} SET n = n + 1 WHERE ${where()}`, measure: 'explain' };
  if (shape === 3) return { cls: `prune-${op}-delete`, detail, sql: `DELETE FROM fz.${t.name} WHERE ${where()}`, measure: 'explain' };
  return { cls: `prune-${op}`, detail, sql: `SELECT * FROM fz.${t.name} WHERE ${where()}`, measure: 'explain' };
}

function plainSelect(rng: Random, schema: FuzzSchema): FuzzCase {
  const t = rng.pick(schema.tables);
  const other = rng.pick(schema.tables);
  const view = schema.views.length > 0 ? rng.pick(schema.views) : undefined;
  const shapes: Array<[string, string]> = [
    ['select-point', `SELECT * FROM fz.${t.name} WHERE id = 1`],
    ['select-join', `SELECT * FROM fz.${t.name} x JOIN fz.${other.name} y ON y.ref = x.id WHERE x.n = 1`],
    ['select-exists', `SELECT * FROM fz.${t.name} x WHERE EXISTS (SELECT 1 FROM fz.${other.name} y WHERE y.ref = x.id)`],
    ['select-cte', `WITH c AS MATERIALIZED (SELECT * FROM fz.${other.name}) SELECT * FROM fz.${t.name} JOIN c ON c.id = ${t.name}.ref`],
    ['select-scalar-sublink', `SELECT id, (SELECT max(n) FROM fz.${other.name}) FROM fz.${t.name}`],
    ['select-rowlock-of', `SELECT * FROM fz.${t.name} x JOIN fz.${other.name} y ON y.ref = x.id ${rng.pick(ROW_LOCKS)} OF x`],
  ];
  if (view !== undefined) shapes.push(['select-view', `SELECT * FROM fz.${view.name}`]);
  const [cls, sql] = rng.pick(shapes);
  return { cls, detail: '', sql, measure: 'explain' };
}

function executedDml(rng: Random, schema: FuzzSchema): FuzzCase {
  const t = rng.pick(schema.tables);
  const key = t.partitioning?.key;
  const first = t.columns[0] ?? '';
  const explicitId = !/serial|IDENTITY/.test(first) || first.includes('ALWAYS');
  const names = [...(explicitId ? ['id'] : []), ...(key === undefined ? [] : ['k']), 'ref', 'n'];
  const values = [...(explicitId ? ['1000'] : []), ...(key === undefined ? [] : [key.bound(rng.pick(heldOrdinals(t)))]), '1', '0'];
  const overriding = first.includes('ALWAYS') ? ' OVERRIDING SYSTEM VALUE' : '';
  // Row 1 of a partitioned table named with its key: which leaf holds an updated row decides which partition's
  // constraint is checked (its parent is locked), and pinning the key lets plan-time pruning keep only that leaf.
  const rowOne = t.firstRowKey === undefined ? 'id = 1' : `id = 1 AND k = ${t.firstRowKey}`;
  const insert = `INSERT INTO fz.${t.name} (${names.join(', ')})${overriding} VALUES (${values.join(', ')})`;
  // Row DELETED_ROW of p1 is referenced by every seeded row under a key that acts on delete and by none under NO ACTION
  // / RESTRICT, so deleting it fires every action on rows and passes every check (the prediction assumes actions fire).
  // The class is named by the first key's action when every key cascades or sets null (the first round's shapes).
  const referencing = schema.foreignKeys.filter((f) => f.to === t.name);
  const fkFrom = referencing.every((f) => ['CASCADE', 'SET NULL'].includes(f.onDelete)) ? referencing[0] : undefined;
  const shapes: Array<[string, string]> = [
    ['exec-insert', insert],
    ['exec-insert-returning', `${insert} RETURNING *`],
    ['exec-update', `UPDATE fz.${t.name} SET n = n + 1 WHERE ${rowOne}`],
    ['exec-update-fk', `UPDATE fz.${t.name} SET ref = 2 WHERE ${rowOne}`],
    ['exec-delete', `DELETE FROM fz.${t.name} WHERE id = ${DELETED_ROW}`],
    ['exec-cte-insert', `WITH w AS (${insert} RETURNING id) SELECT * FROM w`],
  ];
  if (t.primaryKey === 'id') shapes.push(['exec-on-conflict', `${insert} ON CONFLICT (id) DO NOTHING`]);
  if (fkFrom !== undefined)
    shapes.push([`exec-delete-${fkFrom.onDelete.toLowerCase().replace(' ', '-')}`, `DELETE FROM fz.${t.name} WHERE id = ${DELETED_ROW}`]);
  if (key === undefined)
    shapes.push(['exec-merge', `MERGE INTO fz.${t.name} m USING (VALUES (2)) s(id) ON m.id = s.id WHEN MATCHED THEN UPDATE SET n = 1`]);
  const [cls, sql] = rng.pick(shapes);
  return { cls, detail: key === undefined ? 'plain' : `${t.partitioning?.strategy}/${key.name}`, sql, measure: 'execute' };
}

function ddl(rng: Random, schema: FuzzSchema): FuzzCase {
  const t = rng.pick(schema.tables);
  const parted = t.partitioning !== undefined;
  const name = `fz.${t.name}`;
  const shapes: Array<[string, string]> = [
    ['ddl-create-index', `CREATE INDEX fz_new_idx ON ${name} (n)`],
    ['ddl-create-index-unnamed', `CREATE INDEX ON ${name} (ref)`],
    ['ddl-add-column', `ALTER TABLE ${name} ADD COLUMN extra integer`],
    ['ddl-add-column-default', `ALTER TABLE ${name} ADD COLUMN extra integer DEFAULT 7`],
    ['ddl-add-column-volatile', `ALTER TABLE ${name} ADD COLUMN extra uuid DEFAULT gen_random_uuid()`],
    ['ddl-add-column-generated', `ALTER TABLE ${name} ADD COLUMN extra bigint GENERATED ALWAYS AS (n * 2) STORED`],
    ['ddl-set-not-null', `ALTER TABLE ${name} ALTER COLUMN ref SET NOT NULL`],
    ['ddl-add-check', `ALTER TABLE ${name} ADD CONSTRAINT fz_chk CHECK (n >= 0)${rng.chance(0.5) ? ' NOT VALID' : ''}`],
    ['ddl-rename', `ALTER TABLE ${name} RENAME TO ${t.name}_renamed`],
    ['ddl-lock', `LOCK TABLE ${name} IN ${rng.pick(['ACCESS SHARE', 'ROW EXCLUSIVE', 'SHARE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'])} MODE`],
    ['ddl-truncate-cascade', `TRUNCATE ${name} CASCADE`],
    ['ddl-drop-column', `ALTER TABLE ${name} DROP COLUMN spare`],
    ['ddl-alter-type-rewrite', `ALTER TABLE ${name} ALTER COLUMN spare TYPE bigint`],
    ['ddl-analyze', `ANALYZE ${name}`],
  ];
  if (!parted) {
    shapes.push(['ddl-reindex-table', `REINDEX TABLE ${name}`], ['ddl-vacuum-analyze', `ANALYZE ${name} (n)`]);
    if (t.primaryKey === 'id') shapes.push(['ddl-cluster', `CLUSTER ${name} USING ${t.name}_pkey`]);
  }
  if (t.toastable && !parted) shapes.push(['ddl-alter-type-binary-coercible', `ALTER TABLE ${name} ALTER COLUMN v TYPE text`]);
  if (!schema.foreignKeys.some((f) => f.to === t.name)) shapes.push(['ddl-truncate', `TRUNCATE ${name}`]);
  const index = t.indexes.length > 0 ? rng.pick(t.indexes) : undefined;
  if (index !== undefined) {
    shapes.push(['ddl-drop-index', `DROP INDEX fz.${index.name}`]);
    if (!parted) shapes.push(['ddl-reindex-index', `REINDEX INDEX fz.${index.name}`]);
  }
  const partition = t.partitioning?.parts.find((p) => p.bound !== 'DEFAULT');
  if (partition !== undefined) shapes.push(['ddl-detach-partition', `ALTER TABLE ${name} DETACH PARTITION fz.${partition.name}`]);
  const mv = schema.views.find((v) => v.materialized);
  if (mv !== undefined) shapes.push(['ddl-refresh-matview', `REFRESH MATERIALIZED VIEW fz.${mv.name}`]);
  const p1 = schema.tables[0];
  if (p1?.primaryKey === 'id' && t !== p1)
    shapes.push(['ddl-add-foreign-key', `ALTER TABLE ${name} ADD CONSTRAINT fz_new_fk FOREIGN KEY (ref) REFERENCES fz.${p1.name} (id)`]);
  shapes.push(['ddl-create-table', `CREATE TABLE fz.fresh (id bigserial PRIMARY KEY, note text, ref bigint)`]);
  const [cls, sql] = rng.pick(shapes);
  return { cls, detail: parted ? `${t.partitioning?.strategy}/${t.partitioning?.key.name}` : 'plain', sql, measure: 'execute' };
}

/** `count` cases over `schema`: about half pruning, the rest plain reads, executed DML and DDL. */
export function generateCases(rng: Random, schema: FuzzSchema, count: number): FuzzCase[] {
  const partitioned = schema.tables.filter((t) => t.partitioning !== undefined);
  return Array.from({ length: count }, () => {
    const roll = rng.next();
    if (roll < 0.5 && partitioned.length > 0) return pruneCase(rng, rng.pick(partitioned));
    if (roll < 0.65) return plainSelect(rng, schema);
    if (roll < 0.8) return executedDml(rng, schema);
    return ddl(rng, schema);
  });
}

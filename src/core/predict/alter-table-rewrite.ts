/**
 * ALTER TABLE's work on storage, by PostgreSQL's own rules (tablecmds.c): which subcommands recurse into partitions
 * and inheritance children, which force a table rewrite (a column type change that is not binary-coercible, a new
 * column with a volatile default, an identity or serial column, a stored generated column), and which indexes a type
 * change without a rewrite rebuilds (those using the column; plain-column ones reuse their storage).
 */
import type { AlterTableCmd, ColumnDef, Node } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import type { LockMode } from '../lock-modes.js';
import { forEachFuncCall, list, nodeAs } from '../sql/ast.js';
import { indexesOf, type AddCompanion } from './ddl-relations.js';

/** Subcommands ATPrepCmd applies to every descendant (the others act on the named table only). */
const RECURSING = new Set([
  'AT_AddColumn',
  'AT_DropColumn',
  'AT_ColumnDefault',
  'AT_SetNotNull',
  'AT_DropNotNull',
  'AT_SetStatistics',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_AlterColumnType',
  'AT_DropConstraint',
  'AT_AddIdentity',
  'AT_DropIdentity',
  'AT_SetIdentity',
]);

export function recursesToDescendants(cmd: AlterTableCmd): boolean {
  const constraint = nodeAs(cmd.def, 'Constraint');
  if (cmd.subtype === 'AT_AddConstraint') return constraint?.contype === 'CONSTR_CHECK' || constraint?.contype === 'CONSTR_NOTNULL';
  return RECURSING.has(cmd.subtype ?? '');
}

/** Functions whose default cannot be evaluated once for all existing rows (pg_proc.provolatile = 'v'). */
const VOLATILE_FUNCTIONS = new Set([
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'random',
  'random_normal',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
]);

function callsVolatile(expr: Node | undefined): boolean {
  let found = false;
  forEachFuncCall(expr, (name) => {
    found ||= VOLATILE_FUNCTIONS.has(name.split('.').pop() ?? '');
  });
  return found;
}

/** ATExecAddColumn: a default that is not a constant for all rows, identity, serial or a stored generated column. */
function addColumnRewrites(column: ColumnDef | undefined): boolean {
  if (column === undefined) return false;
  const type = namesOfType(column).pop() ?? '';
  if (['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8'].includes(type)) return true;
  return list(column.constraints).some((node) => {
    const c = nodeAs(node, 'Constraint');
    if (c?.contype === 'CONSTR_IDENTITY') return true;
    if (c?.contype === 'CONSTR_GENERATED') return c.generated_kind !== 'v';
    return c?.contype === 'CONSTR_DEFAULT' && callsVolatile(c.raw_expr);
  });
}

function namesOfType(column: ColumnDef): string[] {
  return list(column.typeName?.names).map((n) => nodeAs(n, 'String')?.sval ?? '');
}

const FORMAT_NAMES: Record<string, string> = {
  varchar: 'character varying',
  bpchar: 'character',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
};

interface TypeSpelling {
  base: string;
  mods: number[];
}

function parseFormatted(formatted: string | undefined): TypeSpelling | undefined {
  const m = /^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?$/.exec(formatted ?? '');
  if (m === null) return undefined;
  return { base: m[1] ?? '', mods: [m[2], m[3]].filter((x): x is string => x !== undefined).map(Number) };
}

function newType(column: ColumnDef): TypeSpelling {
  const name = namesOfType(column).pop() ?? '';
  const mods = list(column.typeName?.typmods).map((n) => nodeAs(n, 'A_Const')?.ival?.ival ?? -1);
  return { base: FORMAT_NAMES[name] ?? name, mods };
}

/** ATColumnChangeRequiresRewrite for the common binary-coercible changes; anything else (or USING) rewrites. */
function typeChangeRewrites(table: CatalogRelation, cmd: AlterTableCmd): boolean {
  const def = nodeAs(cmd.def, 'ColumnDef');
  if (def === undefined) return true;
  const using = nodeAs(def.raw_default, 'ColumnRef');
  if (
    def.raw_default !== undefined &&
    list(using?.fields)
      .map((f) => nodeAs(f, 'String')?.sval)
      .join('.') !== cmd.name
  )
    return true;
  const from = parseFormatted(table.columns.find((c) => c.name === cmd.name)?.typeName);
  const to = newType(def);
  if (from === undefined) return true;
  if (from.base === to.base && from.mods.join() === to.mods.join()) return false;
  const textual = ['text', 'character varying'];
  if (textual.includes(from.base) && textual.includes(to.base) && to.mods.length === 0) return false;
  if (from.base === 'character varying' && to.base === from.base) return (to.mods[0] ?? 0) < (from.mods[0] ?? Infinity);
  if (from.base === 'numeric' && to.base === 'numeric')
    return to.mods.length > 0 && (from.mods.length === 0 || to.mods[1] !== from.mods[1] || (to.mods[0] ?? 0) < (from.mods[0] ?? 0));
  return true;
}

/** Does an index use the column (key column, expression or predicate)? */
function indexUses(index: { columns: string[]; predicate: string | undefined }, column: string): { uses: boolean; plain: boolean } {
  const word = new RegExp(`(^|[^a-z0-9_$])"?${column.replace(/[^a-z0-9_]/gi, '')}"?($|[^a-z0-9_$])`, 'i');
  const plain = index.predicate === undefined && index.columns.every((c) => /^[a-z_][a-z0-9_$]*$/i.test(c) || /^"[^"]+"$/.test(c));
  return { uses: index.columns.some((c) => c === column || word.test(c)) || word.test(index.predicate ?? ''), plain };
}

/**
 * A relation the statement creates under an existing name (the new TOAST table and index of a rewrite are renamed to
 * the old ones): a new OID, so it is marked with the old one negated; pg_locks shows it under the old name.
 */
export function successorOf(relation: CatalogRelation | undefined): CatalogRelation | undefined {
  return relation === undefined ? undefined : { ...relation, oid: -relation.oid, indexes: [], partitions: [], inheritanceChildren: [] };
}

/**
 * make_new_heap + finish_heap_swap: every index is rebuilt; the old TOAST table and index are locked and dropped, the
 * new ones (created, rebuilt, then renamed to the old names) are locked too.
 */
export function rewriteStorage(catalog: Catalog, table: CatalogRelation, add: AddCompanion, why: string): void {
  const toast = table.toastOid === undefined ? undefined : catalog.relations.get(table.toastOid);
  const toastIndex = table.toastIndexOid === undefined ? undefined : catalog.relations.get(table.toastIndexOid);
  add(table, 'ShareLock', `${why} rebuilds the indexes of ${table.qualifiedName}`);
  for (const index of indexesOf(catalog, table)) add(index, 'AccessExclusiveLock', `${why} rebuilds the index`);
  add(toast, 'AccessExclusiveLock', `${why} drops the old TOAST table`);
  add(toastIndex, 'AccessExclusiveLock', `${why} drops the old TOAST index`);
  const newToast = successorOf(toast);
  const newToastIndex = successorOf(toastIndex);
  add(newToast, 'AccessExclusiveLock', `${why} creates a new TOAST table (renamed to the old name)`);
  add(newToast, 'ShareLock', `${why} builds the new TOAST index`);
  add(newToastIndex, 'AccessExclusiveLock', `${why} builds the new TOAST index`);
  add(newToastIndex, 'ShareUpdateExclusiveLock', 'the new TOAST index is renamed to the old name');
}

/** The members of an ALTER TABLE (the table, and its descendants when a subcommand recurses) and their storage work. */
export function alterStorageCompanions(
  catalog: Catalog,
  table: CatalogRelation,
  members: readonly CatalogRelation[],
  cmds: readonly AlterTableCmd[],
  mode: LockMode,
  add: AddCompanion,
): void {
  for (const member of members) if (member !== table) add(member, mode, `ALTER TABLE recurses into ${member.qualifiedName}`);
  for (const member of members) {
    if (member.relkind !== 'table') continue;
    const rewrites = cmds.some(
      (cmd) =>
        (cmd.subtype === 'AT_AddColumn' && addColumnRewrites(nodeAs(cmd.def, 'ColumnDef'))) ||
        (cmd.subtype === 'AT_AlterColumnType' && typeChangeRewrites(member, cmd)),
    );
    if (rewrites) {
      rewriteStorage(catalog, member, add, 'the table rewrite');
      continue;
    }
    for (const cmd of cmds) {
      if (cmd.subtype !== 'AT_AlterColumnType' || cmd.name === undefined) continue;
      const rebuilt = member.indexes.map((i) => ({ index: i, ...indexUses(i, cmd.name ?? '') })).filter((x) => x.uses);
      if (rebuilt.length > 0) add(member, 'ShareLock', 'indexes using the column are rebuilt');
      for (const { index, plain } of rebuilt) {
        const relation = catalog.relations.get(index.oid);
        add(relation, 'AccessExclusiveLock', 'rebuilt for the new column type');
        // TryReuseIndex: a plain-column index keeps its storage; the new one, under the same name, is opened.
        if (plain) add(relation, 'AccessShareLock', 'the index keeps its storage (CheckIndexCompatible)');
      }
    }
  }
}

/**
 * GORM: a chain on a `*gorm.DB` becomes one site at its executing call (First, Find, Create, Save, Update(s),
 * Delete, Count, Pluck, Scan, Exec…), its SQL synthesized from Model/Table/Where/Joins/Clauses(clause.Locking);
 * `Raw(sql).Scan(…)` and `Exec(sql)` are read as written; `SavePoint` opens a subtransaction.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { synthesizeSql, type OrmQuery } from '../../orm/synthesize.js';
import { snakeCase } from '../../orm/naming.js';
import { addRawSqlSite, compactLabel, siteAt, subtransactionAt } from '../../site-factory.js';
import type { FileScan, SiteRowLock } from '../../types.js';
import type { FileFacts } from './facts.js';
import { associationTable, tableOfArgument, type ModelTable } from './models.js';
import { goShape } from './shape.js';
import { gormNamedArgs, sqlArgument, sqlText } from './sql-text.js';
import { named, stringValue, type ChainCall } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

type Finisher = { action: OrmQuery['action']; limit?: number; count?: boolean; model: 'arg0' | 'arg1' | 'none'; conditions?: number };

const FINISHERS: Record<string, Finisher> = {
  First: { action: 'select', limit: 1, model: 'arg0', conditions: 1 },
  Take: { action: 'select', limit: 1, model: 'arg0', conditions: 1 },
  Last: { action: 'select', limit: 1, model: 'arg0', conditions: 1 },
  Find: { action: 'select', model: 'arg0', conditions: 1 },
  FirstOrInit: { action: 'select', limit: 1, model: 'arg0', conditions: 1 },
  FirstOrCreate: { action: 'select', limit: 1, model: 'arg0', conditions: 1 },
  FindInBatches: { action: 'select', model: 'arg0' },
  Scan: { action: 'select', model: 'arg0' },
  Row: { action: 'select', model: 'none' },
  Rows: { action: 'select', model: 'none' },
  Pluck: { action: 'select', model: 'none' },
  Count: { action: 'select', count: true, model: 'none' },
  Create: { action: 'insert', model: 'arg0' },
  CreateInBatches: { action: 'insert', model: 'arg0' },
  Save: { action: 'update', model: 'arg0' },
  Update: { action: 'update', model: 'none' },
  UpdateColumn: { action: 'update', model: 'none' },
  Updates: { action: 'update', model: 'arg0' },
  UpdateColumns: { action: 'update', model: 'arg0' },
  Delete: { action: 'delete', model: 'arg0', conditions: 1 },
};

/** Raw SQL is sent by these after `Raw(…)`. */
const RAW_FINISHERS = new Set(['Scan', 'Row', 'Rows', 'Find', 'First', 'Take', 'Pluck']);

const STRENGTHS: Record<string, SiteRowLock['strength']> = {
  UPDATE: 'update',
  'NO KEY UPDATE': 'no-key-update',
  SHARE: 'share',
  'KEY SHARE': 'key-share',
  LockingStrengthUpdate: 'update',
  LockingStrengthShare: 'share',
};
const OPTIONS: Record<string, SiteRowLock['waitPolicy']> = {
  NOWAIT: 'nowait',
  'SKIP LOCKED': 'skip-locked',
  LockingOptionsNoWait: 'nowait',
  LockingOptionsSkipLocked: 'skip-locked',
};

/** A row-lock clause written as SQL text (`Set("gorm:query_option", "FOR UPDATE")`). */
export function lockFromText(text: string): SiteRowLock | undefined {
  const m = /\bFOR\s+(NO\s+KEY\s+UPDATE|KEY\s+SHARE|UPDATE|SHARE)\b(?:[\s\w,."]*?\b(NOWAIT|SKIP\s+LOCKED))?/i.exec(text);
  if (m === null) return undefined;
  const strength = STRENGTHS[(m[1] ?? '').toUpperCase().replace(/\s+/g, ' ')] ?? 'update';
  return { strength, waitPolicy: OPTIONS[(m[2] ?? '').toUpperCase().replace(/\s+/g, ' ')] ?? 'block' };
}

/** `clause.Locking{Strength: "UPDATE", Options: "NOWAIT", Table: clause.Table{Name: "orders"}}`. */
function lockFromLiteral(facts: FileFacts, literal: Node): (SiteRowLock & { of?: string[] }) | undefined {
  if (literal.type !== 'composite_literal' || !/Locking$/.test(literal.childForFieldName('type')?.text ?? '')) return undefined;
  let strength: SiteRowLock['strength'] = 'update';
  let waitPolicy: SiteRowLock['waitPolicy'] = 'block';
  let of: string[] | undefined;
  for (const element of descendantsOfType(literal, 'keyed_element')) {
    if (element === null || element.parent?.parent?.id !== literal.id) continue;
    const [key, value] = named(element);
    const inner = value === undefined ? undefined : (named(value)[0] ?? value);
    if (key === undefined || inner === undefined) continue;
    const text = sqlText(facts, inner) ?? inner.text.slice(inner.text.lastIndexOf('.') + 1);
    if (key.text === 'Strength') strength = STRENGTHS[text.toUpperCase()] ?? STRENGTHS[text] ?? strength;
    if (key.text === 'Options') waitPolicy = OPTIONS[text.toUpperCase()] ?? OPTIONS[text] ?? waitPolicy;
    if (key.text === 'Table') {
      const name = /Name:\s*"([^"]+)"/.exec(inner.text)?.[1];
      if (name !== undefined) of = [name];
    }
  }
  return { strength, waitPolicy, ...(of !== undefined ? { of } : {}) };
}

/** Columns compared in a GORM condition: `"status = ? AND user_id IN ?"`, `&Order{Status: "x"}`, `map[string]any{"id": 1}`. */
function conditionColumns(facts: FileFacts, arg: Node): string[] | undefined {
  const text = sqlText(facts, arg);
  if (text !== undefined) {
    const cols = [...text.matchAll(/([A-Za-z_][\w.]*)\s*(?:=|<>|!=|<=|>=|<|>|\s+IN\b|\s+LIKE\b|\s+ILIKE\b)\s*\(?\s*[?@]/gi)].map(
      (m) => (m[1] ?? '').split('.').pop() ?? '',
    );
    return cols.length > 0 ? cols : undefined;
  }
  const literal = arg.type === 'unary_expression' ? arg.childForFieldName('operand') : arg;
  if (literal?.type !== 'composite_literal') return undefined;
  const keys = literalKeys(literal);
  return keys.length > 0 ? keys : undefined;
}

/** Keys of a struct or map literal as column names. */
function literalKeys(literal: Node): string[] {
  const keys: string[] = [];
  for (const element of descendantsOfType(literal, 'keyed_element')) {
    if (element === null || element.parent?.parent?.id !== literal.id) continue;
    const key = named(element)[0];
    const inner = key === undefined ? undefined : (named(key)[0] ?? key);
    if (inner === undefined) continue;
    keys.push(stringValue(inner) ?? snakeCase(inner.text));
  }
  return keys;
}

export interface GormChain {
  calls: ChainCall[];
  /** The executing call's whole chain: the site's range. */
  node: Node;
}

/** Records the site (and subtransaction) a GORM chain issues; false when it issues none. */
export function addGormSite(scan: FileScan, context: ExtractContext, facts: FileFacts, chain: GormChain): boolean {
  const finisherAt = chain.calls.findIndex(
    (c) => FINISHERS[c.name] !== undefined || c.name === 'Exec' || c.name === 'SavePoint' || c.name === 'RollbackTo',
  );
  const call = chain.calls[finisherAt];
  if (call === undefined) return false;
  const label = compactLabel(chain.node.text.replace(/\/\/[^\n]*/g, ''));
  if (call.name === 'SavePoint' || call.name === 'RollbackTo') {
    const name = sqlText(facts, call.args[0]) ?? 'sp';
    const sql = call.name === 'SavePoint' ? `SAVEPOINT ${name}` : `ROLLBACK TO SAVEPOINT ${name}`;
    scan.sites.push(siteAt(context, goShape, chain.node, { origin: 'gorm', sql, synthesized: true, confidence: 'likely', label }));
    if (call.name === 'SavePoint')
      scan.subtransactions.push(subtransactionAt(context, goShape, chain.node, compactLabel(`${call.node.text}`, 60)));
    return true;
  }
  const before = chain.calls.slice(0, finisherAt);
  const raw = call.name === 'Exec' ? call : RAW_FINISHERS.has(call.name) ? before.find((c) => c.name === 'Raw') : undefined;
  if (raw !== undefined) {
    const found = sqlArgument(facts, raw.args.slice(0, 1));
    if (found === undefined) return false;
    const added = addRawSqlSite(scan, context, goShape, chain.node, gormNamedArgs(found.sql), 'gorm', label);
    if (added && /^\s*SAVEPOINT\b/i.test(found.sql)) scan.subtransactions.push(subtransactionAt(context, goShape, chain.node, 'SAVEPOINT'));
    return added;
  }
  const finisher = FINISHERS[call.name];
  if (finisher === undefined) return false;
  return addSynthesized(scan, context, facts, chain, before, call, finisher, label);
}

function addSynthesized(
  scan: FileScan,
  context: ExtractContext,
  facts: FileFacts,
  chain: GormChain,
  before: ChainCall[],
  call: ChainCall,
  finisher: Finisher,
  label: string,
): boolean {
  let table: ModelTable | undefined;
  let model: ModelTable | undefined;
  const filters: string[] = [];
  let filteredUnknown = false;
  const joinNames: string[] = [];
  const preloads: string[] = [];
  let rowLock: OrmQuery['rowLock'];
  let setColumns: string[] | undefined;
  for (const c of before) {
    const arg = c.args[0];
    if (c.name === 'Table' && arg !== undefined) {
      const name = sqlText(facts, arg)?.trim().split(/\s+/)[0];
      if (name !== undefined && name !== '') table = { table: name, confidence: 'likely', model: undefined };
    } else if (c.name === 'Model') model = tableOfArgument(facts, arg) ?? model;
    else if ((c.name === 'Where' || c.name === 'Or' || c.name === 'Not') && arg !== undefined) {
      const cols = conditionColumns(facts, arg);
      if (cols === undefined) filteredUnknown = true;
      else filters.push(...cols);
    } else if ((c.name === 'Joins' || c.name === 'InnerJoins') && arg !== undefined) joinNames.push(sqlText(facts, arg) ?? '');
    else if (c.name === 'Preload' && arg !== undefined) preloads.push(sqlText(facts, arg) ?? arg.text);
    else if (c.name === 'Clauses') {
      for (const a of c.args)
        rowLock = lockFromLiteral(facts, a.type === 'unary_expression' ? (a.childForFieldName('operand') ?? a) : a) ?? rowLock;
    } else if (c.name === 'Set' && c.args[1] !== undefined) rowLock = lockFromText(sqlText(facts, c.args[1]) ?? '') ?? rowLock;
  }
  const arg0 = call.args[0];
  if (
    finisher.model === 'arg0' &&
    arg0 !== undefined &&
    ((call.name !== 'Updates' && call.name !== 'UpdateColumns') || arg0.type !== 'composite_literal' || !arg0.text.startsWith('map'))
  ) {
    model = model ?? tableOfArgument(facts, arg0);
  }
  if ((call.name === 'Update' || call.name === 'UpdateColumn') && arg0 !== undefined) {
    const column = sqlText(facts, arg0);
    if (column !== undefined) setColumns = [column];
  }
  if ((call.name === 'Updates' || call.name === 'UpdateColumns') && arg0 !== undefined) {
    const literal = arg0.type === 'unary_expression' ? arg0.childForFieldName('operand') : arg0;
    if (literal?.type === 'composite_literal') setColumns = literalKeys(literal);
  }
  const condition = finisher.conditions === undefined ? undefined : call.args[finisher.conditions];
  if (condition !== undefined) {
    // An inline string condition names its columns; anything else (`id`, `[]int{1, 2}`) is the primary key.
    const cols = sqlText(facts, condition) !== undefined ? conditionColumns(facts, condition) : ['id'];
    if (cols === undefined) filteredUnknown = true;
    else filters.push(...cols);
  }
  // Save and Delete of a loaded record address it by primary key.
  if (
    (call.name === 'Save' || call.name === 'Delete') &&
    condition === undefined &&
    arg0 !== undefined &&
    arg0.type !== 'composite_literal' &&
    !(arg0.type === 'unary_expression' && arg0.childForFieldName('operand')?.type === 'composite_literal')
  )
    filters.push('id');
  const target = table ?? model;
  if (target === undefined) return false;
  const joins = joinNames.flatMap((j) =>
    /^\s*[A-Za-z_][\w.]*\s*$/.test(j)
      ? [associationTable(facts, model?.model, j.trim().split('.')[0] ?? j).table]
      : [...j.matchAll(/\bJOIN\s+("?[\w.]+"?)/gi)].map((m) => (m[1] ?? '').replace(/"/g, '')),
  );
  const query: OrmQuery = {
    action: finisher.action,
    table: target.table,
    joins,
    filterColumns: [...new Set(filters)],
    filteredUnknown: filteredUnknown && filters.length === 0,
    ...(setColumns !== undefined && setColumns.length > 0 ? { setColumns } : {}),
    ...(rowLock !== undefined && finisher.action === 'select' ? { rowLock } : {}),
    ...(finisher.count === true ? { count: true } : {}),
    ...(finisher.limit !== undefined ? { limit: finisher.limit } : {}),
  };
  const note = preloads.length > 0 ? ` (Preload ${preloads.join(', ')}: loaded by separate queries)` : '';
  scan.sites.push(
    siteAt(context, goShape, chain.node, {
      origin: 'gorm',
      sql: synthesizeSql(query),
      synthesized: true,
      confidence: target.confidence,
      label: `${label}${note}`,
    }),
  );
  return true;
}

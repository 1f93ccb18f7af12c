/**
 * Ruby extractor: ActiveRecord model calls (synthesized SQL), raw SQL through the connection or the pg gem, migration DSL,
 * transaction / with_lock blocks, savepoints, loops and same-file method calls.
 */
import type { Node } from 'web-tree-sitter';
import { emptyScan, type ExtractContext, type LanguageExtractor } from '../../extractor.js';
import { addNestedScopeSubtransactions } from '../../site-factory.js';
import type { FileScan } from '../../types.js';
import { ActiveRecordReader } from './activerecord.js';
import { recognizeActiveRecord, recognizeImplicitCall } from './ar-sites.js';
import { addLocalCalls, bareIdentifierCall, isLocalVariable } from './calls.js';
import { Assignments } from './env.js';
import { buildModelMap } from './models.js';
import { declareRubyModels, withIndexedModels } from './shared-models.js';
import { isMigration, recognizeMigrationDsl } from './migration-dsl.js';
import { recognizeRawSql } from './raw-sql.js';
import { rubyAutocommitEntries } from './entry-points.js';
import { rubyLoops, rubyShape } from './shape.js';
import { Heredocs, SqlStrings } from './strings.js';
import { chainTop, constantName, enclosingClass, isChainLink } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** Statement positions where a bare `touch` / `destroy!` is a call on self. */
const STATEMENT_PARENTS = new Set(['body_statement', 'block_body', 'then', 'else', 'begin', 'do', 'if_modifier', 'unless_modifier']);

function declaredNonModelClasses(root: Node, models: ReadonlyMap<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const node of descendantsOfType(root, ['class', 'module'])) {
    const nameNode = node?.childForFieldName('name');
    const name = nameNode === null || nameNode === undefined ? undefined : constantName(nameNode);
    if (name !== undefined && !models.has(name)) names.add(name);
  }
  return names;
}

/** addNestedScopeSubtransactions counts statement loops only: give its records the iterator-block loops too. */
function fixSubtransactionLoops(scan: FileScan, root: Node, from: number): void {
  for (const sub of scan.subtransactions.slice(from)) {
    const start = { row: sub.range.start.line, column: sub.range.start.character };
    const end = { row: sub.range.end.line, column: sub.range.end.character };
    const node = root.descendantForPosition(start, end);
    if (node !== null) sub.loops = rubyLoops(node);
  }
}

/** Migrations of a second database on another engine (lago-api's `db/clickhouse_migrate/`): not PostgreSQL DDL. */
const OTHER_ENGINE_MIGRATIONS = /(^|[\\/])db[\\/](click_?house|mysql|sqlite)[a-z0-9_]*[\\/]/i;

function extract(context: ExtractContext): FileScan {
  const scan = emptyScan(context.file, context.language);
  if (OTHER_ENGINE_MIGRATIONS.test(context.file)) return scan;
  const root = context.tree.rootNode;
  const models = withIndexedModels(buildModelMap(root), context.models, context.file);
  const assignments = new Assignments(root);
  const strings = new SqlStrings(new Heredocs(root), assignments);
  const reader = new ActiveRecordReader(models, declaredNonModelClasses(root, models), assignments, root);
  const calls = descendantsOfType(root, 'call');
  const rawTops = new Set<number>();
  for (const call of calls) if (recognizeRawSql(scan, context, strings, call)) rawTops.add(chainTop(call).id);
  if (isMigration(context.text)) for (const call of calls) if (recognizeMigrationDsl(scan, context, call)) rawTops.add(call.id);
  for (const call of calls) if (!isChainLink(call) && !rawTops.has(call.id)) recognizeActiveRecord(scan, context, reader, call);
  for (const identifier of descendantsOfType(root, 'identifier')) {
    if (identifier === null || !STATEMENT_PARENTS.has(identifier.parent?.type ?? '') || !bareIdentifierCall(identifier)) continue;
    const cls = enclosingClass(identifier);
    if (cls === undefined || cls.classLevel || !models.has(cls.name) || isLocalVariable(identifier, assignments)) continue;
    recognizeImplicitCall(scan, context, reader, identifier);
  }
  const before = scan.subtransactions.length;
  addNestedScopeSubtransactions(scan, context, rubyShape, root);
  fixSubtransactionLoops(scan, root, before);
  addLocalCalls(scan, context, root, assignments);
  const byPosition = (a: { range: FileScan['sites'][number]['range'] }, b: typeof a): number =>
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  scan.sites.sort(byPosition);
  scan.subtransactions.sort(byPosition);
  scan.calls.sort(byPosition);
  const entries = rubyAutocommitEntries(root);
  if (entries.length > 0) scan.autocommitEntries = entries;
  return scan;
}

export const rubyExtractor: LanguageExtractor = {
  languages: ['ruby'],
  extract,
  declareModels: (context) => declareRubyModels(context),
  declaresModelsIn: /\bclass\s/,
};

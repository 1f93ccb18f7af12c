/**
 * TypeScript/TSX/JavaScript extractor: reads the file's models first, then turns every outermost call chain an ORM
 * recognizer claims into one site (Prisma, TypeORM, Sequelize, Knex, Drizzle, Kysely, node-postgres and raw SQL),
 * plus subtransactions (nested transaction blocks, savepoints) and calls to the file's own functions.
 */
import { enclosingClassNode, fieldType } from './class-members.js';
import type { Node } from 'web-tree-sitter';
import { emptyScan, type ExtractContext, type LanguageExtractor } from '../../extractor.js';
import { synthesizeSql } from '../../orm/synthesize.js';
import { compactLabel, type LanguageShape } from '../../site-factory.js';
import type { FileScan, QuerySite } from '../../types.js';
import { drizzleRecognizer } from './drizzle.js';
import { knexRecognizer } from './knex.js';
import { kyselyRecognizer } from './kysely.js';
import { readModels, type FileModels } from './models.js';
import { NewRows } from './new-rows.js';
import { declareJavaScriptModels, withIndexedModels } from './shared-models.js';
import { nodePostgresRecognizer } from './node-postgres.js';
import { onRootClient, prismaRecognizer } from './prisma.js';
import { addRawSql, sqlText } from './raw-sql.js';
import type { Outcome, Recognizer } from './recognizer.js';
import { sequelizeRecognizer } from './sequelize.js';
import { addNestedScopes, jsCallAt, jsSiteAt, jsSubtransactionAt, makeShape } from './shape.js';
import { chainOf, isChainTop, methodCall, unwrap, type Chain } from './syntax.js';
import { typeormRecognizer } from './typeorm.js';
import { descendantsOfType } from '../../descendants.js';

// Most specific shapes first: Kysely's method names and Prisma's client.model.op cannot be mistaken; generic
// `.query(` drivers come last so ORM-owned `manager.query(…)` / `sequelize.query(…)` keep their origin.
const RECOGNIZERS: readonly Recognizer[] = [
  kyselyRecognizer,
  prismaRecognizer,
  typeormRecognizer,
  sequelizeRecognizer,
  drizzleRecognizer,
  knexRecognizer,
  nodePostgresRecognizer,
];

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  for (const r of RECOGNIZERS) {
    const outcome = r.recognize(chain, models);
    if (outcome !== undefined) return outcome;
  }
  // A builder kept in a variable and run later: `const q = knex('orders')…; await q.forUpdate()`.
  const root = chain.links[0];
  const def = root === undefined || root.args !== undefined ? undefined : models.builders.get(root.name);
  if (def === undefined || def.top.id === chain.top.id) return undefined;
  const combined: Chain = { links: [...def.links, ...chain.links.slice(1)], top: chain.top };
  for (const r of RECOGNIZERS) {
    const outcome = r.recognize(combined, models);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

function emit(scan: FileScan, context: ExtractContext, shape: LanguageShape, at: Node, outcome: Outcome, models: FileModels): void {
  const label = compactLabel(at.text);
  switch (outcome.kind) {
    case 'orm':
      scan.sites.push(
        jsSiteAt(context, shape, at, {
          origin: outcome.origin,
          sql: synthesizeSql(outcome.query),
          synthesized: true,
          confidence: outcome.confidence,
          label: outcome.note === undefined ? label : compactLabel(`${label} (${outcome.note})`, 120),
        }),
      );
      return;
    case 'raw':
      addRawSql(scan, context, shape, at, sqlText(outcome.sql, models, outcome.substitute), outcome.origin);
      return;
    case 'savepoint':
      scan.subtransactions.push(jsSubtransactionAt(context, shape, at, outcome.label));
      return;
    case 'none':
      return;
  }
}

/**
 * Functions imported by name from the project's own modules (`import { lockRow as lock } from './db'`), local name →
 * exported name: calls to them link to their definition in another file (one level, like local helpers).
 */
function importedFunctions(root: Node): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of descendantsOfType(root, 'import_statement')) {
    const source = statement?.childForFieldName('source')?.text.slice(1, -1) ?? '';
    if (!source.startsWith('.')) continue; // a library's functions are not in the scanned tree
    for (const specifier of statement === null ? [] : descendantsOfType(statement, 'import_specifier')) {
      const name = specifier?.childForFieldName('name')?.text;
      const alias = specifier?.childForFieldName('alias')?.text;
      if (name !== undefined) names.set(alias ?? name, name);
    }
  }
  return names;
}

/**
 * `helper(…)` where the file defines helper or imports it from a project module; `this.helper(…)` (a method of this
 * class, or a local function); `this.service.method(…)` on a field whose class is declared (constructor injection).
 */
function localCallee(
  call: Node,
  models: FileModels,
  imported: ReadonlyMap<string, string>,
): { callee: string; calleeClass?: string } | undefined {
  const fn = call.childForFieldName('function');
  if (fn === null) return undefined;
  if (fn.type === 'identifier') {
    const callee = models.localFunctions.has(fn.text) ? fn.text : imported.get(fn.text);
    return callee === undefined ? undefined : { callee };
  }
  const m = methodCall(call);
  if (m === undefined) return undefined;
  const receiver = unwrap(m.receiver);
  const cls = enclosingClassNode(call);
  if (receiver.type === 'this') {
    if (cls !== undefined && descendantsOfType(cls, 'method_definition').some((d) => d.childForFieldName('name')?.text === m.method))
      return { callee: m.method, calleeClass: cls.childForFieldName('name')?.text ?? '' };
    return models.localFunctions.has(m.method) ? { callee: m.method } : undefined;
  }
  const field = receiver.type === 'member_expression' && unwrap(receiver.childForFieldName('object') ?? receiver).type === 'this';
  const type = field && cls !== undefined ? fieldType(cls, receiver.childForFieldName('property')?.text ?? '') : undefined;
  return type === undefined ? undefined : { callee: m.method, calleeClass: type };
}

/** Sequelize migrations' folders: the runner (sequelize-cli, umzug) calls `up`/`down` with no transaction open. */
const MIGRATION_FILE = /(^|[\\/])migrations?[\\/][^\\/]+\.[cm]?[jt]s$/;

/** A Sequelize statement of a migration's `up`/`down` outside any transaction the migration opens: it commits on its own. */
function inSequelizeMigration(site: QuerySite, file: string): boolean {
  return (
    site.origin === 'sequelize' &&
    site.transaction === undefined &&
    (site.enclosingFunction === 'up' || site.enclosingFunction === 'down') &&
    MIGRATION_FILE.test(file)
  );
}

export function extractJavaScript(context: ExtractContext): FileScan {
  const scan = emptyScan(context.file, context.language);
  const root = context.tree.rootNode;
  const models = withIndexedModels(readModels(root), context.models, context.file);
  const shape = makeShape({ transactionNames: models.transactionNames });
  const imported = importedFunctions(root);
  let newRows: NewRows | undefined; // built on the first write through a variable
  for (const call of descendantsOfType(root, 'call_expression')) {
    if (call === null) continue;
    const callee = localCallee(call, models, imported);
    if (callee !== undefined) scan.calls.push(jsCallAt(context, shape, call, callee.callee, callee.calleeClass));
    if (!isChainTop(call)) continue;
    const outcome = recognize(chainOf(call), models);
    if (outcome === undefined) continue;
    const before = scan.sites.length;
    emit(scan, context, shape, call, outcome, models);
    const site = scan.sites[before];
    // Prisma's root client outside `$transaction`: each query commits on its own, whoever the callers are.
    if (site !== undefined && site.origin === 'prisma' && site.transaction === undefined && onRootClient(chainOf(call), models))
      site.autocommit = true;
    if (site !== undefined && inSequelizeMigration(site, context.file)) site.autocommit = true;
    if (site !== undefined && outcome.kind === 'orm' && outcome.query.action !== 'select') {
      const receiver = methodCall(call)?.receiver;
      const variable = receiver === undefined ? undefined : unwrap(receiver);
      if (variable?.type === 'identifier') {
        newRows ??= new NewRows(root);
        if (newRows.isNewRow(variable)) site.ownRows = true;
      }
    }
  }
  // `await q` where q holds a builder: the query runs here.
  for (const awaited of descendantsOfType(root, 'await_expression')) {
    const arg = awaited?.namedChildren[0];
    if (arg === null || arg === undefined || arg.type !== 'identifier') continue;
    const def = models.builders.get(arg.text);
    if (def === undefined) continue;
    const outcome = recognize({ links: def.links, top: arg }, models);
    if (outcome !== undefined) emit(scan, context, shape, arg, outcome, models);
  }
  addNestedScopes(scan, context, shape, root);
  return scan;
}

export const javascriptExtractor: LanguageExtractor = {
  languages: ['typescript', 'tsx', 'javascript'],
  extract: extractJavaScript,
  declareModels: declareJavaScriptModels,
  // TypeORM/sequelize-typescript decorators, sequelize.define / Model.init / extends Model, Drizzle's *Table(…).
  declaresModelsIn: /@Entity|@Table|\.define\(|\.init\(|extends\s+Model|[tT]able\s*\(/,
};

/**
 * The Go extractor: GORM chains, database/sql / pgx / sqlx query calls with raw SQL, transactions (GORM and pgx
 * callbacks, `db.Begin()` to the end of the function), savepoints, and calls to the file's own functions.
 */
import type { Node } from 'web-tree-sitter';
import { emptyScan, type ExtractContext, type LanguageExtractor } from '../../extractor.js';
import type { ModelDeclaration } from '../../models.js';
import { addNestedScopeSubtransactions, callAt, subtransactionAt } from '../../site-factory.js';
import type { FileScan } from '../../types.js';
import { parentOf } from '../../tree-helpers.js';
import { addDriverSite, addSqlxFunctionSite, isDriverQueryMethod } from './drivers.js';
import { collectFacts, packageOf, type FileFacts } from './facts.js';
import { addGormSite } from './gorm.js';
import { dbRef, type DbRef } from './receivers.js';
import { goClasses, methodCallTarget, type MethodTarget } from './receiver-types.js';
import { goLoops, goShape, inReturnedFuncLiteral, returnedFuncName } from './shape.js';
import { callArguments, flattenChain, isOutermostCall, type CallChain } from './syntax.js';
import { scopeForRef } from './transactions.js';
import { callbackArguments, transactionWrappers } from './wrappers.js';
import { descendantsOfType } from '../../descendants.js';

/** GORM methods no other Go database API has: a guessed handle calling them is a GORM handle. */
const GORM_ONLY = new Set([
  'First',
  'Take',
  'Last',
  'Find',
  'FirstOrInit',
  'FirstOrCreate',
  'FindInBatches',
  'Create',
  'CreateInBatches',
  'Save',
  'Update',
  'Updates',
  'UpdateColumn',
  'UpdateColumns',
  'Delete',
  'Count',
  'Pluck',
  'Model',
  'Table',
  'Where',
  'Joins',
  'Preload',
  'Clauses',
  'Raw',
  'SavePoint',
  'RollbackTo',
]);

function isGorm(ref: DbRef, chain: CallChain, facts: FileFacts): boolean {
  if (ref.library === 'gorm') return true;
  return ref.library === undefined && facts.libraries.has('gorm') && GORM_ONLY.has(chain.calls[0]?.name ?? '');
}

/** Sites, subtransactions and calls one outermost call chain contributes. */
function visitChain(scan: FileScan, context: ExtractContext, facts: FileFacts, chain: CallChain): void {
  const pkg = packageOf(facts, chain.base);
  if (pkg === 'sqlx') {
    const before = scan.sites.length;
    if (addSqlxFunctionSite(scan, context, facts, chain)) patch(scan, context, before, dbRef(facts, chain.calls[0]?.args[0]));
    return;
  }
  if (pkg !== undefined) return;
  const ref = dbRef(facts, chain.base);
  const first = chain.calls[0];
  if (first === undefined) return;
  const before = scan.sites.length;
  if (ref !== undefined && isGorm(ref, chain, facts)) {
    if (addGormSite(scan, context, facts, { calls: [...(ref.prefix ?? []), ...chain.calls], node: chain.node }))
      patch(scan, context, before, ref);
    return;
  }
  if (ref !== undefined && first.name === 'Begin' && ref.library === 'pgx' && ref.tx === true) {
    // pgx: Begin on a transaction is a pseudo nested transaction, a SAVEPOINT.
    scan.subtransactions.push(
      subtransactionAt(context, goShape, chain.node, `${first.node.text.split('(')[0] ?? 'tx.Begin'}() (a SAVEPOINT)`),
    );
    return;
  }
  if (ref !== undefined || isDriverQueryMethod(first.name)) {
    if (addDriverSite(scan, context, facts, chain, ref)) {
      patch(scan, context, before, ref);
      return;
    }
  }
  if (ref !== undefined) return;
  const target = methodCallTarget(facts, chain);
  if (target !== undefined) addCall(scan, context, facts, first.node, first.name, target);
}

/**
 * The Begin scope of the handle on the sites just added; a statement on a pool outside any transaction commits on its
 * own (a pool is never in a caller's transaction).
 */
function patch(scan: FileScan, context: ExtractContext, from: number, ref: DbRef | undefined): void {
  for (const site of scan.sites.slice(from)) {
    site.transaction = scopeForRef(context, ref, site.transaction);
    if (ref?.pool === true && ref.begin === undefined && site.transaction === undefined) site.autocommit = true;
  }
}

/** A call to a function or method of the tree; inside a begun transaction when a tx handle is passed to it. */
function addCall(scan: FileScan, context: ExtractContext, facts: FileFacts, node: Node, callee: string, target: MethodTarget = {}): void {
  const call = { ...callAt(context, goShape, node, callee), ...target, ...callbackArguments(node) };
  // `go worker()` starts a goroutine: its statements run on their own, not once per iteration of a loop around it.
  call.loops = parentOf(node)?.type === 'go_statement' ? [] : goLoops(node);
  if (inReturnedFuncLiteral(node)) call.enclosingFunction = returnedFuncName(call.enclosingFunction);
  for (const arg of callArguments(node)) {
    const ref = arg.type === 'identifier' ? dbRef(facts, arg) : undefined;
    if (ref?.begin !== undefined) call.transaction = scopeForRef(context, ref, call.transaction);
  }
  scan.calls.push(call);
}

export const goExtractor: LanguageExtractor = {
  languages: ['go'],
  declaresModelsIn: /TableName\s*\(/,
  declareModels(context: ExtractContext): ModelDeclaration[] {
    return [...collectFacts(context.tree.rootNode).tableNames].map(([name, table]) => ({
      language: 'go',
      name,
      table,
      confidence: 'likely',
      relations: {},
      file: context.file,
      orm: 'gorm',
    }));
  },
  extract(context: ExtractContext): FileScan {
    const scan = emptyScan(context.file, context.language);
    const root = context.tree.rootNode;
    const facts = collectFacts(root);
    // `TableName()` methods declared in other files of the package (models.go) name their structs' tables here too;
    // of two packages declaring the same struct name, the nearest this file.
    for (const declared of context.models?.declarations('go') ?? []) {
      const d = context.models?.lookup('go', declared.name, context.file) ?? declared;
      if (!facts.tableNames.has(d.name)) facts.tableNames.set(d.name, d.table);
    }
    for (const call of descendantsOfType(root, 'call_expression')) {
      if (call === null || !isOutermostCall(call)) continue;
      const chain = flattenChain(call);
      if (chain !== undefined) {
        const sites = scan.sites.length;
        visitChain(scan, context, facts, chain);
        // Inner calls of a chain (`helper(x).Scan(…)`) are not visited again: a local helper at the chain's base.
        if (scan.sites.length === sites && chain.base.type === 'call_expression') visitPlainCall(scan, context, facts, chain.base);
        continue;
      }
      visitPlainCall(scan, context, facts, call);
    }
    addNestedScopeSubtransactions(scan, context, goShape, root);
    scan.classes = goClasses(facts);
    const wrappers = transactionWrappers(context, facts, root);
    if (wrappers !== undefined) scan.transactionWrappers = wrappers;
    for (const s of [...scan.sites, ...scan.subtransactions]) {
      const node = nodeAt(root, s.range);
      s.loops = goLoops(node);
      if (inReturnedFuncLiteral(node)) s.enclosingFunction = returnedFuncName(s.enclosingFunction);
    }
    return scan;
  },
};

/** Go's builtin functions: never a function of the package. */
const BUILTINS = new Set([
  'append',
  'cap',
  'clear',
  'close',
  'complex',
  'copy',
  'delete',
  'imag',
  'len',
  'make',
  'max',
  'min',
  'new',
  'panic',
  'print',
  'println',
  'real',
  'recover',
]);

function visitPlainCall(scan: FileScan, context: ExtractContext, facts: FileFacts, call: Node): void {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier') return;
  if (facts.functionNames.has(fn.text)) addCall(scan, context, facts, call, fn.text);
  // A function of the same package defined in another file of the directory: linked if one such file defines it.
  else if (!BUILTINS.has(fn.text) && !facts.globals.has(fn.text) && !facts.structs.has(fn.text))
    addCall(scan, context, facts, call, fn.text, { sameDirectory: true });
}

/** The node a recorded range came from (to recompute loops with callbacks once, after all sites are in). */
function nodeAt(root: Node, range: FileScan['sites'][number]['range']): Node {
  return (
    root.namedDescendantForPosition(
      { row: range.start.line, column: range.start.character },
      { row: range.end.line, column: range.end.character },
    ) ?? root
  );
}

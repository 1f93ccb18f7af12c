/**
 * The Python extractor: SQLAlchemy, Django and raw SQL (psycopg, asyncpg, DB-API) query sites, transaction blocks
 * (ATOMIC_REQUESTS views too), loops, savepoints, and calls to the file's own and imported functions (so a locking
 * helper's lock counts at its callers, with the model a generic helper is given).
 */
import { parentOf } from '../../tree-helpers.js';
import { inOtherDialectBranch } from './dialect-branches.js';
import type { Node } from 'web-tree-sitter';
import type { ChunkedExtraction, ChunkPass, ChunkScan, ExtractContext, LanguageExtractor } from '../../extractor.js';
import { emptyScan } from '../../extractor.js';
import { assembleScan } from '../../incremental/assemble.js';
import { findUnresolvedCalls } from '../../unresolved/find-unresolved.js';
import { chunkFacts, mergeFacts, type PythonChunkFacts } from './chunk-facts.js';
import type { ModelDeclaration } from '../../models.js';
import { synthesizeSql } from '../../orm/synthesize.js';
import { addNestedScopeSubtransactions, addRawSqlSite, callAt, compactLabel, siteAt, subtransactionAt } from '../../site-factory.js';
import type { CallSite, FileScan, QuerySite } from '../../types.js';
import { methodCallee, type PythonClass } from './classes.js';
import { callFlags, type CommitCache, committingLoops, guardOf, runsAfterCommit } from './guards.js';
import { djangoQuery, executesQueryset, instanceCall, managerModel } from './django.js';
import { ATOMIC_REQUESTS, declarePythonModels, declaresAtomicRequests, DJANGO_IMPORT } from './models.js';
import { querysetParameter } from './queryset-source.js';
import { rawSql } from './raw-sql.js';
import type { PythonEnvironment, RecognizedQuery } from './recognized.js';
import { pythonShape } from './shape.js';
import { coreStatement, executesLegacyQuery, legacyQuery, sessionCall, STATEMENT_STEPS } from './sqlalchemy.js';
import { assignedValue, chainOf, continuedAfter, continuesChain, positionalArgs, type Chain } from './syntax.js';

const USES_PSYCOPG = /^\s*(import|from)\s+(psycopg2?|asyncpg)\b/m;

/** Builtins that evaluate a queryset passed to them (anything else taking one is a subquery or runs it later). */
const CONSUMERS = new Set([
  'list',
  'tuple',
  'set',
  'len',
  'sorted',
  'bool',
  'next',
  'iter',
  'any',
  'all',
  'dict',
  'sum',
  'max',
  'min',
  'enumerate',
]);

/** A lazy query (legacy Query or Django queryset) held in a variable, continued by later chains on it. */
function pendingQuery(root: Node, env: PythonEnvironment, depth = 0): RecognizedQuery | undefined {
  if (root.type !== 'identifier' || depth > STATEMENT_STEPS) return undefined;
  const value = unwrapped(assignedValue(root));
  if (value?.type !== 'call') return undefined;
  const chain = chainOf(value);
  // A chain that ran (`.get()`, `.one()`) holds rows or an instance, not a query to continue.
  if (executesLegacyQuery(chain) || executesQueryset(chain)) return undefined;
  const continued = pendingQuery(chain.root, env, depth + 1);
  return legacyQuery(chain, env, continued) ?? djangoQuery(chain, env, continued);
}

/** `(Order.objects.filter(…))` and `Order.objects.filter(…)[:100]` hold the queryset of the chain inside. */
function unwrapped(value: Node | undefined): Node | undefined {
  let node = value;
  while (node?.type === 'parenthesized_expression' || node?.type === 'subscript')
    node = (node.type === 'subscript' ? node.childForFieldName('value') : node.namedChildren[0]) ?? undefined;
  return node;
}

/** Is this chain's value assigned to a name that later chains continue (so the query runs there, not here)? */
function continuedLater(chain: Chain): boolean {
  const assignment = chain.outer.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== chain.outer.id) return false;
  const name = assignment.childForFieldName('left');
  if (name?.type !== 'identifier') return false;
  return continuedAfter(name.text, assignment);
}

function recognize(chain: Chain, env: PythonEnvironment): RecognizedQuery | undefined {
  const continued = pendingQuery(chain.root, env) ?? querysetParameter(chain, env);
  if (continued !== undefined) {
    if (!executesLegacyQuery(chain) && !executesQueryset(chain) && continuedLater(chain)) return undefined;
    return continued.origin === 'django' ? djangoQuery(chain, env, continued) : legacyQuery(chain, env, continued);
  }
  const viaSession = sessionCall(chain, env);
  if (viaSession !== undefined) return viaSession;
  const legacy = legacyQuery(chain, env);
  if (legacy !== undefined) return !executesLegacyQuery(chain) && continuedLater(chain) ? undefined : legacy;
  if (managerModel(chain, env) !== undefined) {
    // Querysets are lazy: a chain passed as an argument is a subquery or runs elsewhere.
    const parent = chain.outer.parent;
    const consumer = parent?.type === 'argument_list' ? parent.parent?.childForFieldName('function')?.text : undefined;
    const inArguments = parent?.type === 'keyword_argument' || (parent?.type === 'argument_list' && !CONSUMERS.has(consumer ?? ''));
    if (!executesQueryset(chain) && (inArguments || continuedLater(chain))) return undefined;
    return djangoQuery(chain, env);
  }
  return handedStatement(chain, env) ?? (chain.root.type === 'identifier' ? instanceCall(chain, env, chain.root) : undefined);
}

/**
 * `await self.get_one_or_none(statement)`: a row-locking statement handed to a helper is sent there (a repository's
 * executor runs `session.execute(statement)` on its parameter, which names no model). Only locked statements: a lock
 * clause is added to be executed, while plain statements are also handed to builders (`count_subquery(statement)`).
 */
function handedStatement(chain: Chain, env: PythonEnvironment): RecognizedQuery | undefined {
  const last = chain.links[chain.links.length - 1];
  for (const arg of positionalArgs(last?.args)) {
    const statement = arg.type === 'identifier' ? coreStatement(arg, env) : undefined;
    if (statement?.query.rowLock !== undefined) return statement;
  }
  return undefined;
}

function environment(context: ExtractContext, own: readonly ModelDeclaration[], imports: ReadonlyMap<string, string>): PythonEnvironment {
  const local = new Map(own.map((d) => [d.name, d]));
  const byName = (name: string): ModelDeclaration | undefined => local.get(name) ?? context.models?.lookup('python', name, context.file);
  const env: PythonEnvironment = {
    // `from app.db import Tool as DbTool` and `models.Tool` name the model Tool.
    model: (name) => {
      const simple = name.includes('.') ? (name.split('.').pop() ?? name) : name;
      const imported = imports.get(simple);
      return byName(simple) ?? (imported === undefined ? undefined : byName(imported));
    },
    instanceModel: (use) => instanceModelOf(use, env),
    parameterModel: (use) => parameterModelOf(use),
  };
  return env;
}

/** Stand-in table for a model passed as a parameter: lower-case so the synthesized SQL carries it unquoted. */
const parameterPlaceholder = (name: string): string => `lockscope_param_${name.toLowerCase()}`;

/** Positional parameter names of a function, without a leading self/cls (calls through self do not pass it). */
function positionalParameters(fn: Node): string[] {
  const names: string[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p === null) continue;
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') break;
    const name = p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? p.namedChildren[0])?.text;
    if (name !== undefined) names.push(name);
  }
  return names[0] === 'self' || names[0] === 'cls' ? names.slice(1) : names;
}

function parameterModelOf(use: Node): ModelDeclaration | undefined {
  if (use.type !== 'identifier') return undefined;
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (a.type !== 'function_definition') continue;
    const index = positionalParameters(a).indexOf(use.text);
    if (index < 0) return undefined;
    return {
      language: 'python',
      name: use.text,
      table: parameterPlaceholder(use.text),
      confidence: 'likely',
      relations: {},
      file: '',
      parameter: { index, name: use.text },
    };
  }
  return undefined;
}

/** The model of an instance variable: assigned from a query or a constructor, a loop over a relation, an annotation. */
function instanceModelOf(use: Node, env: PythonEnvironment): ModelDeclaration | undefined {
  if (use.type !== 'identifier') return undefined;
  const value = assignedValue(use);
  if (value?.type === 'call') {
    const fn = value.childForFieldName('function');
    if (fn?.type === 'identifier' && env.model(fn.text) !== undefined) return env.model(fn.text);
    const found = recognize(chainOf(value), env);
    if (found !== undefined) return found.model;
  }
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (a.type === 'for_statement' && a.childForFieldName('left')?.text === use.text) {
      const iterable = a.childForFieldName('right');
      if (iterable?.type === 'attribute') {
        const owner = instanceModelOf(iterable.childForFieldName('object') as Node, env);
        const target = owner?.relations[iterable.childForFieldName('attribute')?.text ?? ''];
        if (target !== undefined) return env.model(target);
      }
    }
    if (a.type === 'function_definition') {
      for (const p of a.childForFieldName('parameters')?.namedChildren ?? []) {
        if (p?.type === 'typed_parameter' && p.namedChildren[0]?.text === use.text)
          return env.model(p.childForFieldName('type')?.text ?? '');
      }
      break;
    }
  }
  return undefined;
}

/** What a call names: an own or imported function, or a method of a known class (`self.svc.m()`, `super().m()`). */
function calleeOf(
  call: Node,
  linkable: ReadonlyMap<string, string>,
  classes: ReadonlyMap<string, PythonClass>,
  imports: ReadonlyMap<string, string>,
): { callee: string; extra: { calleeClass?: string } } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') {
    const defined = linkable.get(fn.text);
    return defined === undefined ? undefined : { callee: defined, extra: {} };
  }
  const method = methodCallee(call, classes);
  if (method === undefined) return undefined;
  return { callee: method.method, extra: { calleeClass: imports.get(method.className) ?? method.className } };
}

/** The tables of model arguments, and which arguments are the caller's own parameters (passed on to a helper). */
function callArguments(call: Node, env: PythonEnvironment): Pick<CallSite, 'argumentTables' | 'argumentParameters'> {
  const args = positionalArgs(call.childForFieldName('arguments') ?? undefined);
  const argumentTables = args.map((arg) => (arg.type === 'identifier' ? env.model(arg.text)?.table : undefined));
  const argumentParameters = args.map((arg) => (arg.type === 'identifier' ? env.parameterModel(arg)?.parameter?.index : undefined));
  return { argumentTables, ...(argumentParameters.some((p) => p !== undefined) ? { argumentParameters } : {}) };
}

/** A site or call under `if with_lock:` carries the flag; a call also carries what it passes for the callee's flags. */
function guarded<T extends QuerySite | CallSite>(node: Node, at: T): T {
  const guard = guardOf(node);
  const flags = 'callee' in at ? callFlags(node) : undefined;
  return { ...at, ...(guard === undefined ? {} : { guard }), ...(flags === undefined ? {} : { flags }) };
}

/**
 * `transaction.on_commit(lambda: …)` runs the callback after the commit: outside the transaction and loops around it.
 * A loop whose body commits is no loop for locks: each iteration's locks end with its commit.
 */
function afterCommit<T extends QuerySite | CallSite>(node: Node, at: T, commits: CommitCache): T {
  if (runsAfterCommit(node)) return { ...at, transaction: undefined, loops: [] };
  if (at.loops.length === 0) return at;
  const committing = committingLoops(node, commits);
  if (committing.size === 0) return at;
  return { ...at, loops: at.loops.filter((l) => !committing.has(`${l.range.start.line}:${l.range.start.character}`)) };
}

/**
 * The pass over one tree: the file's context from its statements' facts (imports, classes, plain functions), then
 * each top-level statement's calls read against it.
 */
function prepare(context: ExtractContext, facts: readonly PythonChunkFacts[], own: readonly ModelDeclaration[]): ChunkPass {
  const { imports, classes, functions } = mergeFacts(facts);
  const env = environment(context, own, imports);
  const atomicRequests = context.models?.lookup('python', ATOMIC_REQUESTS) !== undefined || declaresAtomicRequests(context.text);
  const shape = pythonShape({ file: context.file, atomicRequests });
  const usesPsycopg = USES_PSYCOPG.test(context.text);
  // Helpers imported from other modules are linked to their definitions across files (analysis: any depth).
  const commits: CommitCache = new Map();
  const linkable = new Map([...imports, ...[...functions].map((f): [string, string] => [f, f])]);
  const extractStatement = (statement: Node): ChunkScan => {
    const scan = emptyScan(context.file, context.language);
    for (const call of statement.descendantsOfType('call')) {
      if (call === null || continuesChain(call) || inOtherDialectBranch(call)) continue;
      const chain = chainOf(call);
      const target = calleeOf(call, linkable, classes, imports);
      if (target !== undefined)
        scan.calls.push(
          afterCommit(
            call,
            guarded(call, { ...callAt(context, shape, call, target.callee), ...target.extra, ...callArguments(call, env) }),
            commits,
          ),
        );
      if (chain.links.some((l) => l.name === 'begin_nested') && call.parent?.type !== 'with_item' && call.parent?.type !== 'as_pattern') {
        scan.subtransactions.push(subtransactionAt(context, shape, call, `${compactLabel(call.text, 40)} (a SAVEPOINT)`));
      }
      if (chain.rootText === 'transaction' && chain.links[0]?.name === 'savepoint')
        scan.subtransactions.push(subtransactionAt(context, shape, call, 'transaction.savepoint()'));
      const raw = rawSql(chain, usesPsycopg);
      if (raw !== undefined) {
        if (/^\s*SAVEPOINT\b/i.test(raw.sql)) scan.subtransactions.push(subtransactionAt(context, shape, call, 'SAVEPOINT'));
        else if (!/^\s*(BEGIN|START|COMMIT|ROLLBACK|RELEASE|END)\b/i.test(raw.sql))
          addRawSqlSite(scan, context, shape, call, raw.sql, raw.origin);
        continue;
      }
      const found = recognize(chain, env);
      if (found === undefined) continue;
      const notes = found.notes.length === 0 ? '' : ` — ${found.notes.join('; ')}`;
      const site = siteAt(context, shape, call, {
        origin: found.origin,
        sql: synthesizeSql(found.query),
        synthesized: true,
        confidence: found.confidence,
        label: compactLabel(call.text.replace(/#[^\n]*/g, '')) + notes,
      });
      const parameter = found.model?.parameter;
      const placed = afterCommit(call, guarded(call, site), commits);
      scan.sites.push(
        parameter === undefined ? placed : { ...placed, tableParameter: { ...parameter, placeholder: found.model?.table ?? '' } },
      );
    }
    const nested = emptyScan(context.file, context.language);
    addNestedScopeSubtransactions(nested, context, shape, statement);
    const { sites, calls, subtransactions } = scan;
    const unresolved = findUnresolvedCalls(
      context,
      { sites, calls, subtransactions: [...subtransactions, ...nested.subtransactions] },
      statement,
    );
    return { sites, calls, subtransactions, scopeSubtransactions: nested.subtransactions, unresolved };
  };
  return {
    classes: [...classes.values()].map((c) => ({ name: c.name, bases: c.bases.map((b) => imports.get(b) ?? b) })),
    extract: extractStatement,
  };
}

const chunked: ChunkedExtraction<PythonChunkFacts> = {
  facts: chunkFacts,
  textFlags: (text) => `${declaresAtomicRequests(text)}:${DJANGO_IMPORT.test(text)}:${USES_PSYCOPG.test(text)}`,
  declaresModels: (facts) => facts.declaresClass,
  prepare,
};

/** The whole file at once: every top-level statement's facts, then each statement read (what the registry does). */
function extract(context: ExtractContext): FileScan {
  const statements = context.tree.rootNode.namedChildren.filter((c): c is Node => c !== null);
  const pass = prepare(context, statements.map(chunkFacts), declarePythonModels(context));
  return assembleScan(context.file, context.language, pass, statements.map(pass.extract));
}

export const pythonExtractor: LanguageExtractor = {
  languages: ['python'],
  extract,
  declareModels: declarePythonModels,
  declaresModelsIn: /\bclass\s|ATOMIC_REQUESTS/,
  chunked,
};

/**
 * The Python extractor: SQLAlchemy, Django and raw SQL (psycopg, asyncpg, DB-API) query sites, transaction blocks
 * (ATOMIC_REQUESTS views too), loops, savepoints, and calls to the file's own and imported functions (so a locking
 * helper's lock counts at its callers, with the model a generic helper is given).
 */
import { alembicCreateTable } from './alembic-ops.js';
import { inOtherDialectBranch } from './dialect-branches.js';
import type { Node } from 'web-tree-sitter';
import type { ChunkedExtraction, ChunkPass, ChunkScan, ExtractContext, LanguageExtractor } from '../../extractor.js';
import { emptyScan } from '../../extractor.js';
import { assembleScan } from '../../incremental/assemble.js';
import type { ModelDeclaration } from '../../models.js';
import { findUnresolvedCalls } from '../../unresolved/find-unresolved.js';
import { chunkFacts, mergeFacts, type PythonChunkFacts } from './chunk-facts.js';
import { synthesizeSql } from '../../orm/synthesize.js';
import { addNestedScopeSubtransactions, addRawSqlSite, callAt, compactLabel, siteAt, subtransactionAt } from '../../site-factory.js';
import type { FileScan } from '../../types.js';
import { afterCommit, callArguments, calleeOf, guarded } from './call-sites.js';
import type { CommitCache } from './guards.js';
import { djangoQuery, executesQueryset, instanceCall, managerModel } from './django.js';
import { autocommitEntries } from './entry-points.js';
import { environment } from './environment.js';
import { ATOMIC_REQUESTS, declarePythonModels, declaresAtomicRequests, DJANGO_IMPORT } from './models.js';
import { querysetParameter } from './queryset-source.js';
import { rawSql } from './raw-sql.js';
import { OPENS_SESSIONS, opensSession } from './session-openers.js';
import type { PythonEnvironment, RecognizedQuery } from './recognized.js';
import { pythonShape } from './shape.js';
import { coreStatement, executesLegacyQuery, legacyQuery, sessionCall, STATEMENT_STEPS } from './sqlalchemy.js';
import { assignedValue, chainOf, continuedAfter, continuesChain, positionalArgs, type Chain } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

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

const USES_PSYCOPG = /^\s*(import|from)\s+(psycopg2?|asyncpg)\b/m;

/**
 * The pass over one tree: the file's context from its statements' facts (imports, classes, plain functions), then
 * each top-level statement's calls read against it.
 */
function prepare(context: ExtractContext, facts: readonly PythonChunkFacts[], own: readonly ModelDeclaration[]): ChunkPass {
  const { imports, classes, functions } = mergeFacts(facts);
  const env = environment(context, own, imports, recognize);
  const shape = pythonShape({
    file: context.file,
    atomicRequests: context.models?.lookup('python', ATOMIC_REQUESTS) !== undefined || declaresAtomicRequests(context.text),
    opensSession: (name) => opensSession(imports.get(name) ?? name, own, context.models, context.file),
  });
  const usesPsycopg = USES_PSYCOPG.test(context.text);
  // Helpers imported from other modules are linked to their definitions across files (analysis: any depth).
  const commits: CommitCache = new Map();
  const linkable = new Map([...imports, ...[...functions].map((f): [string, string] => [f, f])]);
  const extractStatement = (statement: Node): ChunkScan => {
    const scan = emptyScan(context.file, context.language);
    for (const call of descendantsOfType(statement, 'call')) {
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
      const created = alembicCreateTable(chain);
      if (created !== undefined) {
        const label = compactLabel(call.text.replace(/#[^\n]*/g, ''), 60);
        scan.sites.push(
          siteAt(context, shape, call, { origin: 'sqlalchemy', sql: created, synthesized: true, confidence: 'likely', label }),
        );
        continue;
      }
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
    const all = { sites, calls, subtransactions: [...subtransactions, ...nested.subtransactions] };
    return {
      sites,
      calls,
      subtransactions,
      scopeSubtransactions: nested.subtransactions,
      unresolved: findUnresolvedCalls(context, all, statement),
      autocommitEntries: autocommitEntries(statement, context.file),
    };
  };
  return {
    classes: [...classes.values()].map((c) => ({ name: c.name, bases: c.bases.map((b) => imports.get(b) ?? b) })),
    extract: extractStatement,
  };
}

const chunked: ChunkedExtraction<PythonChunkFacts> = {
  facts: chunkFacts,
  textFlags: (text) => `${declaresAtomicRequests(text)}:${DJANGO_IMPORT.test(text)}:${USES_PSYCOPG.test(text)}`,
  declaresModels: (facts) => facts.declaresClass || facts.opensSessions,
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
  declaresModelsIn: new RegExp(`\\bclass\\s|ATOMIC_REQUESTS|${OPENS_SESSIONS.source}`),
  chunked,
};

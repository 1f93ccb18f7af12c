/**
 * Python's shape for the site factory: loops (statements and comprehensions), functions, and transaction blocks —
 * `with session.begin()`, `with engine.begin()`, `with session.begin_nested()`, `with transaction.atomic()`,
 * `@transaction.atomic`, psycopg's `with conn.transaction()` — nested ones open savepoints.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageShape } from '../../site-factory.js';
import type { ScopeMark } from '../../scopes.js';
import { definingClass } from './classes.js';
import { calledName } from './session-openers.js';
import { keywordArgs } from './syntax.js';

const LOOPS: Record<string, string> = {
  for_statement: 'for loop',
  while_statement: 'while loop',
  list_comprehension: 'list comprehension',
  set_comprehension: 'set comprehension',
  dictionary_comprehension: 'dict comprehension',
  generator_expression: 'generator expression',
};

/**
 * A context manager call that opens a transaction, and whether it is a savepoint by itself. `opensSession` says
 * whether a called name opens a new session (session-openers.ts): that block is a transaction of its own.
 */
function transactionCall(call: Node, opensSession: (name: string) => boolean): ScopeMark | undefined {
  if (call.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  const text = fn?.text ?? '';
  if (name === 'begin_nested') return { kind: `with ${text}()`, savepoint: true };
  if (name === 'begin') return { kind: `with ${text}()`, savepoint: false };
  if (name === 'atomic') {
    // atomic(savepoint=False) nested inside another atomic joins it: no savepoint, not a scope of its own.
    if (keywordArgs(call.childForFieldName('arguments') ?? undefined).get('savepoint')?.type === 'false') return undefined;
    return { kind: 'transaction.atomic', savepoint: false };
  }
  if (name === 'transaction' && fn?.type === 'attribute') return { kind: `with ${text}()`, savepoint: false };
  // `with Session() as session:` — the session autobegins one transaction for everything in the block.
  if (fn?.type === 'identifier' && /Session$/.test(text)) return { kind: `with ${text}() session`, savepoint: false, independent: true };
  // `with SessionLocal() as db:`, `with fresh_db_session() as db:` (a wrapper that makes a session and commits it).
  const called = calledName(call);
  if (called !== undefined && opensSession(called)) return { kind: `with ${called}() session`, savepoint: false, independent: true };
  return undefined;
}

function withItemCalls(withStatement: Node): Node[] {
  const clause = withStatement.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? [])
    .filter((i): i is Node => i !== null && i.type === 'with_item')
    .map((i) => i.childForFieldName('value'))
    .map((v) => (v?.type === 'as_pattern' ? (v.namedChildren[0] ?? null) : v))
    .filter((v): v is Node => v !== null);
}

function detectScope(node: Node, opensSession: (name: string) => boolean): ScopeMark | undefined {
  if (node.type === 'with_statement') {
    for (const call of withItemCalls(node)) {
      const mark = transactionCall(call, opensSession);
      if (mark !== undefined) return mark;
    }
    return undefined;
  }
  if (node.type === 'decorated_definition') {
    for (const decorator of node.namedChildren.filter((d): d is Node => d?.type === 'decorator')) {
      const text = decorator.text.replace(/^@/, '').replace(/\(.*$/s, '');
      if (text === 'transaction.atomic' || text === 'atomic') {
        if (/savepoint\s*=\s*False/.test(decorator.text)) return undefined;
        return { kind: '@transaction.atomic', savepoint: false };
      }
    }
  }
  return undefined;
}

/** The iterable of a for loop or of a comprehension's first `for … in` runs once; bodies and conditions repeat. */
function repeats(loop: Node, child: Node): boolean {
  if (loop.type === 'for_statement')
    return loop.childForFieldName('right')?.id !== child.id && loop.childForFieldName('left')?.id !== child.id;
  if (loop.type === 'while_statement') return true;
  // Comprehensions: the path comes through the body, an if clause, or a for clause; only the first for clause's
  // iterable is evaluated once.
  const firstClause = loop.namedChildren.find((c) => c?.type === 'for_in_clause');
  return firstClause?.id !== child.id;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'dispatch']);

/**
 * With Django's ATOMIC_REQUESTS every view runs in one transaction: a function in a views module whose first
 * parameter is `request`, or an HTTP method of a class-based view (`def post(self, request, …)`).
 */
function isDjangoView(node: Node, file: string): boolean {
  if (node.type !== 'function_definition' || !/(^|\/)views(\.py$|\/)/.test(file.replace(/\\/g, '/'))) return false;
  const params = (node.childForFieldName('parameters')?.namedChildren ?? [])
    .filter((p): p is Node => p !== null)
    .map((p) => (p.type === 'identifier' ? p.text : p.namedChildren[0]?.text));
  const name = node.childForFieldName('name')?.text ?? '';
  return params[0] === 'request' || (params[0] === 'self' && params[1] === 'request' && HTTP_METHODS.has(name));
}

export interface PythonShapeOptions {
  file: string;
  /** The project's Django settings set ATOMIC_REQUESTS (the model pass found it). */
  atomicRequests: boolean;
  /** Does a call to this name open a new session (a factory, a Session class, a project wrapper)? */
  opensSession?: (name: string) => boolean;
}

export function pythonShape(options: PythonShapeOptions): LanguageShape {
  const opensSession = options.opensSession ?? ((): boolean => false);
  return {
    loopTypes: LOOPS,
    repeats,
    functionTypes: ['function_definition'],
    className: definingClass,
    scopeTypes: ['with_statement', 'decorated_definition', 'function_definition'],
    detectScope: (node) =>
      detectScope(node, opensSession) ??
      (options.atomicRequests && isDjangoView(node, options.file) ? { kind: 'ATOMIC_REQUESTS view', savepoint: false } : undefined),
  };
}

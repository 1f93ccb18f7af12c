/**
 * Calls that open a new SQLAlchemy session — a transaction of its own whatever encloses the call — recognised from
 * their definitions across the project: session factories (`SessionLocal = sessionmaker(…)`), the `Session` classes,
 * and wrappers whose body binds a new session from one of those (or from another wrapper, at any depth) and commits
 * it: `@contextmanager def session_scope(): db = SessionLocal(); yield db; db.commit()`, and
 * `fresh_db_session = contextmanager(get_db)` around such a generator. The model pass declares them (under names no
 * identifier can have); the extract pass asks whether a `with` item's call is one.
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration, ModelIndex } from '../../models.js';
import { parentOf } from '../../tree-helpers.js';
import { positionalArgs, simpleName } from './syntax.js';

const FACTORY = 'session-factory:';
const WRAPPER = 'session-wrapper:';
const FACTORY_MAKERS = new Set(['sessionmaker', 'async_sessionmaker', 'scoped_session', 'async_scoped_session']);
/** SQLAlchemy's own session classes: constructing one opens a new session. */
const SESSION_CLASSES = new Set(['Session', 'AsyncSession']);
const CONTEXT_MANAGERS = new Set(['contextmanager', 'asynccontextmanager']);

/** Text every declaration here needs (the model pass skips files without it). */
export const OPENS_SESSIONS = /sessionmaker|scoped_session|contextmanager|\.commit\(/;

const declaration = (name: string, file: string, calls: readonly string[]): ModelDeclaration => ({
  language: 'python',
  name,
  table: '',
  confidence: 'likely',
  relations: Object.fromEntries(calls.map((c) => [c, c])),
  file,
  orm: 'sqlalchemy-session',
});

/** The function a call calls, by its simple name, looking through `cast(Any, SessionLocal)()`. */
export function calledName(call: Node): string | undefined {
  const fn = call.childForFieldName('function') ?? undefined;
  if (fn?.type === 'call' && simpleName(fn.childForFieldName('function') ?? undefined) === 'cast') {
    const args = positionalArgs(fn.childForFieldName('arguments') ?? undefined);
    return simpleName(args[args.length - 1]);
  }
  return simpleName(fn);
}

/** `name = F()` or `with F() as name`: the call bound to a name, by name. */
function boundCalls(fn: Node): Map<string, string> {
  const bound = new Map<string, string>();
  for (const call of fn.descendantsOfType('call')) {
    if (call === null) continue;
    const parent = parentOf(call);
    const holder = parent?.type === 'await' ? parentOf(parent) : parent;
    const name =
      holder?.type === 'assignment' && holder.childForFieldName('right')?.id === (parent?.type === 'await' ? parent.id : call.id)
        ? holder.childForFieldName('left')
        : holder?.type === 'as_pattern'
          ? holder.childForFieldName('alias')?.namedChildren[0]
          : undefined;
    const callee = calledName(call);
    if (name?.type === 'identifier' && callee !== undefined) bound.set(name.text, callee);
  }
  return bound;
}

/** Names whose `.commit()` this function calls. */
function committed(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const call of fn.descendantsOfType('call')) {
    const f = call?.childForFieldName('function');
    if (f?.type === 'attribute' && f.childForFieldName('attribute')?.text === 'commit') {
      const object = f.childForFieldName('object');
      if (object?.type === 'identifier') names.add(object.text);
    }
  }
  return names;
}

/** The model pass: this file's session factories and wrapper candidates (resolved across files by `opensSession`). */
export function declareSessionOpeners(root: Node, file: string): ModelDeclaration[] {
  const out: ModelDeclaration[] = [];
  for (const assignment of root.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const maker = simpleName(right.childForFieldName('function') ?? undefined);
    if (maker !== undefined && FACTORY_MAKERS.has(maker)) out.push(declaration(`${FACTORY}${left.text}`, file, []));
    // `fresh_db_session = contextmanager(get_db)`: a context manager around the generator it is given.
    const wrapped = positionalArgs(right.childForFieldName('arguments') ?? undefined)[0];
    if (maker !== undefined && CONTEXT_MANAGERS.has(maker) && wrapped?.type === 'identifier')
      out.push(declaration(`${WRAPPER}${left.text}`, file, [wrapped.text]));
  }
  for (const fn of root.descendantsOfType('function_definition')) {
    const name = fn?.childForFieldName('name')?.text;
    if (fn === null || name === undefined) continue;
    const bound = boundCalls(fn);
    const opened = [...committed(fn)].map((n) => bound.get(n)).filter((c): c is string => c !== undefined);
    if (opened.length > 0) out.push(declaration(`${WRAPPER}${name}`, file, [...new Set(opened)]));
  }
  return out;
}

/** Does a call to `name` open a new session? Factories, the Session classes, and wrappers of them at any depth. */
export function opensSession(
  name: string,
  own: readonly ModelDeclaration[],
  index: ModelIndex | undefined,
  file: string,
  depth = 0,
): boolean {
  if (SESSION_CLASSES.has(name)) return true;
  if (depth > 8) return false;
  const find = (key: string): ModelDeclaration | undefined => own.find((d) => d.name === key) ?? index?.lookup('python', key, file);
  if (find(`${FACTORY}${name}`) !== undefined) return true;
  const wrapper = find(`${WRAPPER}${name}`);
  return wrapper !== undefined && Object.keys(wrapper.relations).some((c) => c !== name && opensSession(c, own, index, file, depth + 1));
}

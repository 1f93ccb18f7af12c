/**
 * Rows the code created itself: `const c = Collection.build(…)` / `await Collection.create(…)`, arrays that only
 * collect such rows (`created.push(c)`), a method returning them (`return { collections: created }`), and what a
 * caller takes from that method (`const { collections } = await this.createAll(…)`, `for (const c of collections)`).
 * A later `c.save()` writes a row its own transaction inserted: no other transaction can see it, let alone hold its
 * lock, so it never waits (outline's import: one `collection.save()` per collection it just created).
 */
import type { Node } from 'web-tree-sitter';
import { methodCall, named, unwrap } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** Sequelize statics returning new (built or inserted) instances. */
const CREATORS = new Set(['build', 'create', 'bulkBuild', 'bulkCreate']);
const FUNCTIONS = new Set([
  'method_definition',
  'function_declaration',
  'function_expression',
  'arrow_function',
  'generator_function_declaration',
]);

/** Per name in one function: whether some binding gives it a new row, and whether any gives it something else. */
interface Origin {
  fresh: boolean;
  other: boolean;
}

/** A returned value's new-row parts: '' for the value itself, else the object keys holding new rows. */
type Returned = Set<string>;

export class NewRows {
  /** Method or function name → what its return value holds of new rows. */
  private readonly returns = new Map<string, Returned>();
  /** Outermost function node id → names holding only new rows (or arrays of only new rows) there. */
  private readonly fresh = new Map<number, Set<string>>();

  constructor(root: Node) {
    const functions = outermostFunctions(root);
    // Twice: a method's return is known once its callee's is (declaration order does not matter up to one level).
    for (let pass = 0; pass < 2; pass++) for (const fn of functions) this.fresh.set(fn.id, this.read(fn));
  }

  /** Does this identifier (a method call's receiver) hold a row the code created itself? */
  isNewRow(identifier: Node): boolean {
    if (identifier.type !== 'identifier') return false;
    const fn = outermostFunctionOf(identifier);
    return fn !== undefined && (this.fresh.get(fn.id)?.has(identifier.text) ?? false);
  }

  private read(fn: Node): Set<string> {
    const nodes = descendantsOfType(fn, [
      'variable_declarator',
      'assignment_expression',
      'for_in_statement',
      'call_expression',
      'required_parameter',
      'optional_parameter',
    ]);
    // Until nothing changes: `c = Model.build()`, then `created.push(c)`, then `for (const x of created)` — each step
    // needs the one before, in whatever order the text has them.
    let known = new Set<string>();
    for (let pass = 0; pass < 6; pass++) {
      const origins = new Map<string, Origin>();
      const mark = (name: string, fresh: boolean): void => {
        const o = origins.get(name) ?? { fresh: false, other: false };
        if (fresh) o.fresh = true;
        else o.other = true;
        origins.set(name, o);
      };
      const previous = known;
      for (const node of nodes) this.readBinding(node, mark, (name) => previous.has(name));
      known = new Set([...origins].filter(([, o]) => o.fresh && !o.other).map(([name]) => name));
      if (known.size === previous.size && [...known].every((n) => previous.has(n))) break;
    }
    const name = functionName(fn);
    const returned = returnedFresh(fn, known);
    if (name !== undefined && returned.size > 0) this.returns.set(name, returned);
    return known;
  }

  private readBinding(node: Node, mark: (name: string, fresh: boolean) => void, freshNow: (name: string) => boolean): void {
    switch (node.type) {
      case 'required_parameter':
      case 'optional_parameter': {
        const pattern = node.childForFieldName('pattern');
        if (pattern?.type === 'identifier') mark(pattern.text, false);
        return;
      }
      case 'for_in_statement': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right !== null)
          mark(left.text, unwrap(right).type === 'identifier' && freshNow(unwrap(right).text));
        return;
      }
      case 'call_expression': {
        // `arr.push(x, …)`: the array holds new rows while everything pushed is one.
        const mc = methodCall(node);
        if (mc?.method !== 'push' || unwrap(mc.receiver).type !== 'identifier') return;
        const args = named(node.childForFieldName('arguments') ?? node);
        mark(unwrap(mc.receiver).text, args.length > 0 && args.every((a) => unwrap(a).type === 'identifier' && freshNow(unwrap(a).text)));
        return;
      }
      default:
        this.readAssignment(node, mark, freshNow);
    }
  }

  private readAssignment(node: Node, mark: (name: string, fresh: boolean) => void, freshNow: (name: string) => boolean): void {
    const declarator = node.type === 'variable_declarator';
    const target = node.childForFieldName(declarator ? 'name' : 'left');
    const value = node.childForFieldName(declarator ? 'value' : 'right');
    if (target === null) return;
    if (target.type === 'identifier') {
      // `const created: Collection[] = []`: an array that is nothing yet; what is pushed into it decides.
      if (value !== null && unwrap(value).type === 'array' && named(unwrap(value)).length === 0) return;
      mark(target.text, value !== null && this.freshValue(unwrap(value), freshNow));
      return;
    }
    if (target.type !== 'object_pattern' || value === null) return;
    const keys = this.returnedBy(unwrap(value));
    for (const part of named(target)) {
      if (part.type === 'shorthand_property_identifier_pattern') mark(part.text, keys?.has(part.text) === true);
      const key = part.type === 'pair_pattern' ? part.childForFieldName('key')?.text : undefined;
      const local = part.type === 'pair_pattern' ? part.childForFieldName('value') : null;
      if (key !== undefined && local?.type === 'identifier') mark(local.text, keys?.has(key) === true);
    }
  }

  /** Is the value a new row (or only new rows): made by a model, an alias of one, or a helper returning them? */
  private freshValue(value: Node, freshNow: (name: string) => boolean): boolean {
    if (value.type === 'identifier') return freshNow(value.text);
    if (value.type === 'new_expression') return /^[A-Z]/.test(value.childForFieldName('constructor')?.text ?? '');
    const mc = methodCall(value);
    if (mc !== undefined && CREATORS.has(mc.method) && /^[A-Z]/.test(unwrap(mc.receiver).text)) return true;
    return this.returnedBy(value)?.has('') === true;
  }

  /** What a call to a function or method of this file returns of new rows (`this.createAll(…)`, `createAll(…)`). */
  private returnedBy(value: Node): Returned | undefined {
    if (value.type !== 'call_expression') return undefined;
    const fn = value.childForFieldName('function');
    if (fn?.type === 'identifier') return this.returns.get(fn.text);
    const mc = methodCall(value);
    return mc !== undefined && unwrap(mc.receiver).type === 'this' ? this.returns.get(mc.method) : undefined;
  }
}

/** The parts of what a function returns that hold new rows: '' for the value, or the keys of a returned object. */
function returnedFresh(fn: Node, names: ReadonlySet<string>): Returned {
  const out: Returned = new Set();
  for (const ret of descendantsOfType(fn, 'return_statement')) {
    // The function's own returns, not those of its callbacks.
    const value = ret === null || innermostFunctionOf(ret)?.id !== fn.id ? undefined : named(ret)[0];
    if (value === undefined) continue;
    const v = unwrap(value);
    if (v.type === 'identifier' && names.has(v.text)) out.add('');
    if (v.type !== 'object') continue;
    for (const part of named(v)) {
      if (part.type === 'shorthand_property_identifier' && names.has(part.text)) out.add(part.text);
      const key = part.type === 'pair' ? part.childForFieldName('key')?.text : undefined;
      const val = part.type === 'pair' ? part.childForFieldName('value') : null;
      if (key !== undefined && val !== null && unwrap(val).type === 'identifier' && names.has(unwrap(val).text)) out.add(key);
    }
  }
  return out;
}

function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own !== undefined) return own;
  const parent = fn.parent;
  return parent?.type === 'variable_declarator' ? parent.childForFieldName('name')?.text : undefined;
}

function innermostFunctionOf(node: Node): Node | undefined {
  for (let a = node.parent; a !== null; a = a.parent) if (FUNCTIONS.has(a.type)) return a;
  return undefined;
}

/** The function a node belongs to for names: the method or top-level function, its callbacks included. */
function outermostFunctionOf(node: Node): Node | undefined {
  let found: Node | undefined;
  for (let a = node.parent; a !== null; a = a.parent) if (FUNCTIONS.has(a.type)) found = a;
  return found;
}

function outermostFunctions(root: Node): Node[] {
  return descendantsOfType(root, [...FUNCTIONS]).filter((f) => outermostFunctionOf(f) === undefined);
}

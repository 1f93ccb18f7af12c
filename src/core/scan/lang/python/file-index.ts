/**
 * The lookups the Python extractor repeats per site, per tree: which function an offset is in, the assignments of each
 * name per function (and at module level), and the chains rooted at each name. Built lazily per top-level statement
 * (web-tree-sitter's descendant queries cost O(subtree) each: per site over the file that was O(n²), and per keystroke
 * over the file O(file) when only one function is re-read), plus the module's own scope once per tree.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { descendantsOfType } from '../../descendants.js';

interface Assignment {
  endIndex: number;
  value: Node;
}

/** Scope key: the enclosing function's start index, or -1 for module level. */
type ScopeKey = number;

type ByName<T> = Map<string, T[]>;

function push<T>(map: ByName<T>, name: string, value: T): void {
  const list = map.get(name);
  if (list === undefined) map.set(name, [value]);
  else list.push(value);
}

/** Every node outside function definitions (the module's own scope, class bodies included), depth first. */
export function* outsideFunctions(node: Node): Generator<Node> {
  if (node.type === 'function_definition') return;
  yield node;
  for (const child of node.namedChildren) if (child !== null) yield* outsideFunctions(child);
}

/** One top-level statement's functions and, per function, its assignments and rooted call chains. */
interface StatementScopes {
  /** function_definition ranges, in source order (nested ones after their parent). */
  functions: Array<{ start: number; end: number }>;
  assignments: Map<ScopeKey, ByName<Assignment>>;
  rootedCalls: Map<ScopeKey, ByName<number>>;
}

function innermost(functions: StatementScopes['functions'], index: number): ScopeKey {
  let best: ScopeKey = -1;
  for (const f of functions) {
    if (f.start > index) break;
    if (index < f.end) best = f.start; // later matches are nested deeper
  }
  return best;
}

export class PythonFileIndex {
  private readonly statements: Node[];
  private readonly scopes = new Map<number, StatementScopes>();
  private module: { assignments: ByName<Assignment>; rootedCalls: ByName<number> } | undefined;

  constructor(
    private readonly root: Node,
    private readonly rootOfChain: (call: Node) => Node,
    private readonly continuesChain: (call: Node) => boolean,
  ) {
    this.statements = root.namedChildren.filter((c): c is Node => c !== null);
  }

  /** The top-level statement containing the offset (by position in `statements`), or -1. */
  private statementAt(index: number): number {
    let low = 0;
    let high = this.statements.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((this.statements[mid]?.startIndex ?? 0) <= index) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found >= 0 && index < (this.statements[found]?.endIndex ?? 0) ? found : -1;
  }

  private scopesOf(at: number): StatementScopes | undefined {
    const statement = this.statements[at];
    if (statement === undefined) return undefined;
    let scopes = this.scopes.get(at);
    if (scopes !== undefined) return scopes;
    scopes = { functions: [], assignments: new Map(), rootedCalls: new Map() };
    for (const f of descendantsOfType(statement, 'function_definition'))
      if (f !== null) scopes.functions.push({ start: f.startIndex, end: f.endIndex });
    for (const a of descendantsOfType(statement, 'assignment')) {
      const left = a?.childForFieldName('left');
      const value = a?.childForFieldName('right');
      if (a === null || left?.type !== 'identifier' || value === null || value === undefined) continue;
      const scope = innermost(scopes.functions, a.startIndex);
      if (scope !== -1) push(mapFor(scopes.assignments, scope), left.text, { endIndex: a.endIndex, value });
    }
    for (const call of descendantsOfType(statement, 'call')) {
      if (call === null || this.continuesChain(call)) continue;
      const scope = innermost(scopes.functions, call.startIndex);
      const chainRoot = scope === -1 ? undefined : this.rootOfChain(call);
      if (chainRoot?.type === 'identifier') push(mapFor(scopes.rootedCalls, scope), chainRoot.text, call.startIndex);
    }
    this.scopes.set(at, scopes);
    return scopes;
  }

  /** Assignments and rooted chains outside every function, gathered once per tree. */
  private moduleScope(): NonNullable<PythonFileIndex['module']> {
    if (this.module !== undefined) return this.module;
    const module = { assignments: new Map<string, Assignment[]>(), rootedCalls: new Map<string, number[]>() };
    for (const node of outsideFunctions(this.root)) {
      if (node.type === 'assignment') {
        const left = node.childForFieldName('left');
        const value = node.childForFieldName('right');
        if (left?.type === 'identifier' && value !== null) push(module.assignments, left.text, { endIndex: node.endIndex, value });
      } else if (node.type === 'call' && !this.continuesChain(node)) {
        const chainRoot = this.rootOfChain(node);
        if (chainRoot.type === 'identifier') push(module.rootedCalls, chainRoot.text, node.startIndex);
      }
    }
    this.module = module;
    return module;
  }

  /** The innermost function containing the offset (its start), or -1 at module level. */
  scopeAt(index: number): ScopeKey {
    const scopes = this.scopesOf(this.statementAt(index));
    return scopes === undefined ? -1 : innermost(scopes.functions, index);
  }

  private assignmentsIn(scope: ScopeKey, index: number): ByName<Assignment> | undefined {
    return scope === -1 ? this.moduleScope().assignments : this.scopesOf(this.statementAt(index))?.assignments.get(scope);
  }

  /** The value last assigned to `name` before `index` in its function, else at module level (module constants). */
  assignedBefore(name: string, index: number): Node | undefined {
    const scope = this.scopeAt(index);
    for (const key of scope === -1 ? [-1] : [scope, -1]) {
      const list = this.assignmentsIn(key, index)?.get(name) ?? [];
      let best: Assignment | undefined;
      for (const a of list) if (a.endIndex <= index) best = a;
      if (best !== undefined) return best.value;
    }
    return undefined;
  }

  /** Is there a call chain rooted at `name` after `index`, in the same function? */
  chainAfter(name: string, index: number): boolean {
    const scope = this.scopeAt(index);
    const calls = scope === -1 ? this.moduleScope().rootedCalls : this.scopesOf(this.statementAt(index))?.rootedCalls.get(scope);
    return (calls?.get(name) ?? []).some((start) => start > index);
  }
}

function mapFor<T>(maps: Map<ScopeKey, ByName<T>>, scope: ScopeKey): ByName<T> {
  let map = maps.get(scope);
  if (map === undefined) {
    map = new Map();
    maps.set(scope, map);
  }
  return map;
}

const indexes = new WeakMap<Tree, PythonFileIndex>();

/** The index of the tree a node belongs to, built on first use. */
export function fileIndex(node: Node, build: (root: Node) => PythonFileIndex): PythonFileIndex {
  let index = indexes.get(node.tree);
  if (index === undefined) {
    index = build(node.tree.rootNode);
    indexes.set(node.tree, index);
  }
  return index;
}

/**
 * Reads an ActiveRecord call chain link by link: model class → relation builders (where, joins, includes, lock…) →
 * executing calls (first, each, update_all…) → record methods (update!, lock!, destroy…). The statements the chain
 * sends are collected for one site; the value it ends with types variables and block parameters.
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import type { OrmQuery } from '../../orm/synthesize.js';
import { localScope, type Assignments } from './env.js';
import { modelForConstant, type ModelInfo, type ModelMap } from './models.js';
import { applyRecordStep, applyRecordsStep, applyRelationStep, type Step } from './methods.js';
import { argumentsOf, blockOf, blockParameters, chainLinks, enclosingClass, isCall, methodName } from './syntax.js';
import { recordOf, relationOf, type Value } from './values.js';
import { descendantsOfType } from '../../descendants.js';

export interface Evaluation {
  value: Value | undefined;
  statements: OrmQuery[];
  /** Models whose tables the statements use (their confidence decides the site's). */
  models: ModelInfo[];
  /** Steps read, for deciding where a chain ends (the link that issued the last statement). */
  steps: Step[];
}

const NO_BINDING = Symbol('no binding');
const TYPE_CHECKS = new Set(['is_a?', 'kind_of?', 'instance_of?']);
const bareName = (text: string): string => text.replace(/^@/, '');

export class ActiveRecordReader {
  private readonly memo = new Map<number, Evaluation>();
  private readonly visiting = new Set<number>();
  /** Element value of iterator calls (`orders.each do |order|`), filled while their chain is read. */
  private readonly elements = new Map<number, Value>();

  constructor(
    readonly models: ModelMap,
    private readonly fileClasses: ReadonlySet<string>,
    private readonly assignments: Assignments,
    private readonly root: Node,
  ) {}

  evaluateChain(top: Node): Evaluation {
    const cached = this.memo.get(top.id);
    if (cached !== undefined) return cached;
    const empty: Evaluation = { value: undefined, statements: [], models: [], steps: [] };
    if (this.visiting.has(top.id)) return empty;
    this.visiting.add(top.id);
    try {
      const { root, links } = chainLinks(top);
      const steps = links.map(stepOf);
      const start = this.rootValue(root, links[0] ?? top, steps);
      const result = this.run(start, steps);
      this.memo.set(top.id, result);
      return result;
    } finally {
      this.visiting.delete(top.id);
    }
  }

  /** A bare identifier statement in a model method (`touch`, `destroy`): an implicit `self.touch`. */
  evaluateImplicitCall(identifier: Node): Evaluation {
    const steps: Step[] = [{ name: identifier.text, args: [], block: null, node: identifier }];
    const self = this.selfValue(identifier);
    return this.run(self, steps);
  }

  private run(start: Value | undefined, steps: Step[]): Evaluation {
    const result: Evaluation = { value: start, statements: [], models: [], steps };
    let value = start;
    for (const step of steps) {
      if (value === undefined) break;
      const before = result.statements.length;
      const next =
        value.kind === 'relation'
          ? applyRelationStep(value, step, result.statements, this.models)
          : value.kind === 'record'
            ? applyRecordStep(value, step, result.statements, this.models)
            : applyRecordsStep(value, step);
      if (result.statements.length > before) result.models.push(value.model);
      if (next?.element !== undefined) this.elements.set(step.node.id, next.element);
      value = next?.value;
    }
    result.value = value;
    return result;
  }

  /** `self` (or no receiver) inside a model: the class in class methods and scopes, a record in instance methods. */
  private selfValue(node: Node): Value | undefined {
    const cls = enclosingClass(node);
    const model = cls === undefined ? undefined : this.models.get(cls.name);
    if (cls === undefined || model === undefined) return undefined;
    return cls.classLevel ? relationOf(model) : recordOf(model);
  }

  private rootValue(root: Node | null, first: Node, steps: Step[]): Value | undefined {
    if (root === null || root.type === 'self') return this.selfValue(first);
    if (root.type === 'constant' || root.type === 'scope_resolution') {
      const model = modelForConstant(root, this.models, this.fileClasses);
      return model === undefined ? undefined : relationOf(model);
    }
    if (root.type === 'identifier' || root.type === 'instance_variable') {
      const bound = this.variableValue(root);
      if (bound !== NO_BINDING && bound !== undefined) return bound;
      // An unbound name in a model's method is a method of self: `line_items.each`, `stale.update_all(…)`.
      if (bound === NO_BINDING && root.type === 'identifier') {
        const self = this.selfValue(root);
        if (self !== undefined) {
          steps.unshift({ name: root.text, args: [], block: null, node: root });
          return self;
        }
      }
      // A service object's record read through `attr_reader :invoice`, or a local from a call we cannot follow
      // (`node = load_node(id)`): named after a model the project declares, it is taken for one of its records.
      return this.valueFromName(root.text, true) ?? this.valueFromTypeCheck(root);
    }
    return undefined;
  }

  /**
   * A polymorphic record (`alertable`, `owner`) whose class tells its type only where it is checked:
   * `alertable.is_a?(Wallet)` in the same class makes it taken for a record of the first model checked.
   */
  private valueFromTypeCheck(name: Node): Value | undefined {
    const scope = enclosingClass(name)?.node ?? this.root;
    const model = this.typeChecksIn(scope).get(bareName(name.text));
    return model === undefined ? undefined : recordOf(model);
  }

  /** Per class (or file) node, the first declared model each receiver is checked against. */
  private readonly typeChecks = new Map<number, Map<string, ModelInfo>>();

  /**
   * The scope's `x.is_a?(Model)` checks read once (not once per unbound name: a large class with many service calls
   * walked its whole tree at every chain, most of a Rails scan's time), in source order so the first check wins.
   */
  private typeChecksIn(scope: Node): Map<string, ModelInfo> {
    let checks = this.typeChecks.get(scope.id);
    if (checks !== undefined) return checks;
    checks = new Map();
    for (const check of descendantsOfType(scope, 'call')) {
      if (check === null || !TYPE_CHECKS.has(methodName(check) ?? '')) continue;
      const receiver = check.childForFieldName('receiver');
      if (receiver === null) continue;
      const key = bareName(receiver.text);
      if (checks.has(key)) continue;
      const constant = argumentsOf(check)[0];
      if (constant?.type !== 'constant' && constant?.type !== 'scope_resolution') continue;
      const model = modelForConstant(constant, this.models, this.fileClasses);
      if (model?.declared === true) checks.set(key, model);
    }
    this.typeChecks.set(scope.id, checks);
    return checks;
  }

  /** What a variable holds where `at` reads it: a block parameter, a `for` variable, or its last assignment. */
  private variableValue(at: Node): Value | undefined | typeof NO_BINDING {
    const name = at.text;
    let child: Node = at;
    for (let a = parentOf(at); a !== null; child = a, a = parentOf(a)) {
      if ((a.type === 'block' || a.type === 'do_block') && isCall(a.parent)) {
        const index = blockParameters(a).indexOf(name);
        if (index === 0) {
          this.evaluateChain(a.parent);
          return this.elements.get(a.parent.id);
        }
        if (index > 0) return undefined;
      }
      if (a.type === 'for' && a.childForFieldName('pattern')?.text === name && a.childForFieldName('value')?.id !== child.id) {
        const collection = a.childForFieldName('value')?.namedChildren[0];
        const value = collection === null || collection === undefined ? undefined : this.expressionValue(collection);
        return value === undefined || value.kind === 'record' ? undefined : recordOf(value.model);
      }
      if (a.type === 'method' || a.type === 'singleton_method') {
        const params = a.childForFieldName('parameters');
        if (params?.namedChildren.some((p) => p !== null && (p.text === name || p.childForFieldName('name')?.text === name))) {
          // A method parameter: its type is unknown here unless assigned again below.
          const assigned = this.assignments.valueOf(name, at);
          return assigned === undefined ? this.valueFromName(name) : this.expressionValue(assigned);
        }
        break;
      }
    }
    const assigned = this.assignments.valueOf(name, at);
    if (assigned === undefined)
      return name.startsWith('@') ? this.valueFromName(name) : localScope(at) === undefined ? undefined : NO_BINDING;
    return this.expressionValue(assigned);
  }

  /**
   * A parameter or instance variable named after a model the file uses (`def ship(order)` in a file that calls
   * `Order.…`): taken for a record of it (`orders` for loaded records). Names of models the file never mentions stay
   * unknown, so `options.items` is not read as an association.
   */
  private valueFromName(name: string, declaredOnly = false): Value | undefined {
    const bare = name.replace(/^@/, '');
    const singular = bare.endsWith('s') && !bare.endsWith('ss') ? bare.slice(0, -1) : bare;
    const model = this.mentioned().get(camelize(bare)) ?? this.mentioned().get(camelize(singular));
    if (model === undefined || (declaredOnly && !model.declared)) return undefined;
    return model.className === camelize(bare) ? recordOf(model) : { kind: 'records', model };
  }

  private mentionedModels: Map<string, ModelInfo> | undefined;

  private mentioned(): Map<string, ModelInfo> {
    if (this.mentionedModels !== undefined) return this.mentionedModels;
    const found = new Map<string, ModelInfo>(this.models);
    for (const node of descendantsOfType(this.root, ['constant', 'scope_resolution'])) {
      if (node === null || (node.type === 'constant' && node.parent?.type === 'scope_resolution')) continue;
      const model = modelForConstant(node, this.models, this.fileClasses);
      // Only constants used as receivers: `Order.find`, not `rescue Timeout::Error` or `class Foo < Bar`.
      if (model !== undefined && node.parent?.type === 'call' && node.parent.childForFieldName('receiver')?.id === node.id)
        found.set(model.className, model);
    }
    this.mentionedModels = found;
    return found;
  }

  expressionValue(node: Node): Value | undefined {
    if (node.type === 'call') return this.evaluateChain(node).value;
    if (node.type === 'constant' || node.type === 'scope_resolution') {
      const model = modelForConstant(node, this.models, this.fileClasses);
      return model === undefined ? undefined : relationOf(model);
    }
    if (node.type === 'identifier' || node.type === 'instance_variable') {
      if (this.visiting.has(node.id)) return undefined;
      this.visiting.add(node.id);
      try {
        const bound = this.variableValue(node);
        return bound === NO_BINDING ? undefined : bound;
      } finally {
        this.visiting.delete(node.id);
      }
    }
    if (node.type === 'parenthesized_statements') {
      const inner = node.namedChildren[node.namedChildren.length - 1];
      return inner === null || inner === undefined ? undefined : this.expressionValue(inner);
    }
    return undefined;
  }
}

/** "line_item" → "LineItem". */
function camelize(name: string): string {
  return name
    .split('_')
    .map((w) => (w === '' ? '' : w[0]?.toUpperCase() + w.slice(1)))
    .join('');
}

function stepOf(call: Node): Step {
  return { name: methodName(call) ?? '', args: argumentsOf(call), block: blockOf(call) ?? blockArgument(call), node: call };
}

/** `map(&:update!)` passes a block too (as an argument). */
function blockArgument(call: Node): Node | null {
  return argumentsOf(call).find((a) => a.type === 'block_argument') ?? null;
}

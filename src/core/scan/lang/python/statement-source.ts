/**
 * Statements from a source Lockscope cannot follow — a repository's `self.get_base_statement()`, another object's
 * `repository.statement_for(…)`, a parameter — typed from the model the chain itself names (polar's repositories).
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import { parentOf } from '../../tree-helpers.js';
import { runTimeModel, type PythonEnvironment } from './recognized.js';
import { keywordArgs, positionalArgs, type Chain } from './syntax.js';

type ModelOf = (node: Node | undefined, env: PythonEnvironment) => ModelDeclaration | undefined;

/** Steps only a SQLAlchemy statement has: a chain with one of them after an unknown source is a statement. */
const STATEMENT_STEPS = new Set(['where', 'with_for_update', 'select_from', 'order_by', 'options', 'execution_options']);

/** `self.model` / `cls.model` inside a repository class that declares `model = Order`: Order. */
function classModel(node: Node, env: PythonEnvironment): ModelDeclaration | undefined {
  if (!/^(self|cls)\.model$/.test(node.text)) return undefined;
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (a.type !== 'class_definition') continue;
    for (const statement of a.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== 'model') continue;
      const value = assignment.childForFieldName('right');
      return value === null ? undefined : env.model(value.text);
    }
    return undefined;
  }
  return undefined;
}

function modelNamed(node: Node | undefined, env: PythonEnvironment, modelOf: ModelOf): ModelDeclaration | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'attribute' && /^(self|cls)\.model\./.test(node.text)) return classModel(node.childForFieldName('object') as Node, env);
  return classModel(node, env) ?? modelOf(node, env);
}

/** `Order.status == x`, `Order.id.in_(…)`, `~Order.is_deleted`: the model of the compared column. */
function comparedModel(condition: Node, env: PythonEnvironment, modelOf: ModelOf): ModelDeclaration | undefined {
  const column =
    condition.type === 'comparison_operator'
      ? condition.namedChildren[0]
      : condition.type === 'call'
        ? condition.childForFieldName('function')?.childForFieldName('object')
        : condition.type === 'unary_operator'
          ? condition.childForFieldName('argument')
          : condition.type === 'attribute'
            ? condition
            : undefined;
  return column?.type === 'attribute' ? modelNamed(column.childForFieldName('object') ?? undefined, env, modelOf) : undefined;
}

/**
 * The model of a statement whose source is unknown: `with_for_update(of=Order)` (or `of=self.model`), else the model
 * of the first filter's column, else (a locked `of=self.model` no class body names) a run-time stand-in. Undefined
 * when the chain has no statement step or names no model.
 */
export function opaqueStatementModel(chain: Chain, env: PythonEnvironment, modelOf: ModelOf): ModelDeclaration | undefined {
  if (!chain.links.some((l) => STATEMENT_STEPS.has(l.name))) return undefined;
  const lock = chain.links.find((l) => l.name === 'with_for_update');
  const of = lock === undefined ? undefined : keywordArgs(lock.args).get('of');
  const named = modelNamed(of, env, modelOf);
  if (named !== undefined) return named;
  for (const link of chain.links) {
    if (link.name !== 'where' && link.name !== 'filter') continue;
    for (const condition of positionalArgs(link.args)) {
      const model = comparedModel(condition, env, modelOf);
      if (model !== undefined) return model;
    }
  }
  // A mixin's `with_for_update(of=self.model)` with `model = X` set by each class that mixes it in (polar's
  // RepositoryIDMixin.get_by_id): a lock on a model known only at run time.
  return of !== undefined && /^(self|cls)\.model$/.test(of.text) ? runTimeModel(of.text) : undefined;
}

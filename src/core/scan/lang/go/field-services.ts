/**
 * Go struct-field services: `s.tools.SetToolState(ctx, tx, id)` inside a method of `s` calls a method of the service
 * held in the struct field; the call links to the one function of that name in the package's directory (the
 * analysis says nothing when several files define it).
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import type { CallChain } from './syntax.js';

function receiverName(node: Node): string | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (a.type === 'func_literal') continue;
    if (a.type === 'function_declaration') return undefined;
    if (a.type === 'method_declaration') {
      const param = a.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
      return param?.childForFieldName('name')?.text;
    }
  }
  return undefined;
}

/** The method name when the chain is `<receiver>.<field>.<Method>(…)`, a call on a struct-field service. */
export function fieldServiceCall(chain: CallChain): string | undefined {
  const [only] = chain.calls;
  if (chain.calls.length !== 1 || only === undefined || chain.base.type !== 'selector_expression') return undefined;
  const operand = chain.base.childForFieldName('operand');
  if (operand?.type !== 'identifier' || operand.text !== receiverName(chain.node)) return undefined;
  return only.name;
}

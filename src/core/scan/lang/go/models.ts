/**
 * GORM models: the Go type an argument has (`&order`, `&[]Order{}`, `var orders []Order`, range variables,
 * parameters), and the table it maps to — `TableName()` when the file declares one ('likely'), else GORM's
 * snake_case plural of the struct name ('guess').
 */
import type { Node } from 'web-tree-sitter';
import { pluralizeSnake, snakeCase } from '../../orm/naming.js';
import { lookup, type FileFacts } from './facts.js';
import { baseTypeName, callArguments, named, unqualified } from './syntax.js';

export interface ModelTable {
  table: string;
  confidence: 'likely' | 'guess';
  /** The struct name, when known (for association lookups). */
  model: string | undefined;
}

const BUILTIN = new Set([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
  'string',
  'bool',
  'byte',
  'rune',
  'any',
  'error',
  'interface{}',
]);

/** The struct type an expression holds (pointer, slice and array stripped). */
export function typeNameOf(facts: FileFacts, expr: Node | undefined, depth = 0): string | undefined {
  if (expr === undefined || depth > 8) return undefined;
  switch (expr.type) {
    case 'unary_expression':
    case 'parenthesized_expression':
      return typeNameOf(facts, expr.childForFieldName('operand') ?? named(expr)[0], depth + 1);
    case 'composite_literal':
      return baseTypeName(expr.childForFieldName('type'));
    case 'call_expression': {
      const fn = expr.childForFieldName('function')?.text;
      const first = callArguments(expr)[0];
      return (fn === 'new' || fn === 'make') && first !== undefined ? baseTypeName(first) : undefined;
    }
    case 'selector_expression': {
      // `order.Items`: the field's type on a struct declared in this file.
      const owner = typeNameOf(facts, expr.childForFieldName('operand') ?? undefined, depth + 1);
      const field =
        owner === undefined ? undefined : facts.structs.get(unqualified(owner))?.get(expr.childForFieldName('field')?.text ?? '');
      return baseTypeName(field ?? null);
    }
    case 'identifier': {
      const bindings = lookup(facts, expr.text, expr);
      for (let i = bindings.length - 1; i >= 0; i--) {
        const b = bindings[i];
        if (b === undefined) continue;
        if (b.type !== undefined) return baseTypeName(b.type);
        if (b.op === 'range') return b.index === 1 ? typeNameOf(facts, b.rangeOver, depth + 1) : undefined;
        if (b.value !== undefined && b.index === 0) return typeNameOf(facts, b.value, depth + 1);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function tableOfType(facts: FileFacts, typeName: string | undefined): ModelTable | undefined {
  if (typeName === undefined) return undefined;
  const model = unqualified(typeName);
  if (BUILTIN.has(model) || !/^[A-Za-z_]/.test(model)) return undefined;
  const explicit = facts.tableNames.get(model);
  if (explicit !== undefined) return { table: explicit, confidence: 'likely', model };
  return { table: pluralizeSnake(snakeCase(model)), confidence: 'guess', model };
}

/** The table a GORM destination/model argument maps to; a bare variable of unknown type is named by convention. */
export function tableOfArgument(facts: FileFacts, arg: Node | undefined): ModelTable | undefined {
  if (arg === undefined) return undefined;
  const typed = tableOfType(facts, typeNameOf(facts, arg));
  if (typed !== undefined) return typed;
  const operand = arg.type === 'unary_expression' ? arg.childForFieldName('operand') : arg;
  if (operand?.type !== 'identifier') return undefined;
  const bindings = lookup(facts, operand.text, operand);
  // `var results []map[string]any`, `var count int64`: not a model.
  if (bindings.some((b) => b.type !== undefined)) return undefined;
  return { table: pluralizeSnake(snakeCase(operand.text)), confidence: 'guess', model: undefined };
}

/** The table of an association named in `Joins("Items")`: the model field's type, else the name by convention. */
export function associationTable(facts: FileFacts, model: string | undefined, association: string): ModelTable {
  const fieldType = model === undefined ? undefined : facts.structs.get(model)?.get(association);
  const typed = tableOfType(facts, baseTypeName(fieldType ?? null));
  if (typed !== undefined) return typed;
  // A belongs-to association is usually named after its model (`Joins("Customer")`).
  if (facts.structs.has(association))
    return tableOfType(facts, association) ?? { table: association, confidence: 'guess', model: undefined };
  const snake = snakeCase(association);
  return { table: snake.endsWith('s') ? snake : pluralizeSnake(snake), confidence: 'guess', model: undefined };
}

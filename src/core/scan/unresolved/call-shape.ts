/**
 * One call read the same way in every language's tree: the method name, the receiver's text and last name, the
 * arguments, and where the call's head ends (before a Ruby block), so query-like calls are judged alike everywhere.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceLanguage } from '../types.js';

export interface CallShape {
  node: Node;
  method: string;
  /** The receiver expression, when the call is `receiver.method(…)`. */
  receiver: Node | undefined;
  args: Node[];
  /** Where the call's own text ends: after its arguments, before a Ruby block or a callback body's lines. */
  headEnd: { row: number; column: number };
  /** The same place as an index into the file's text. */
  headEndIndex: number;
}

/** Node types of a call, per language. */
export const CALL_TYPES: Record<Exclude<SourceLanguage, 'sql'>, readonly string[]> = {
  python: ['call'],
  ruby: ['call'],
  typescript: ['call_expression'],
  tsx: ['call_expression'],
  javascript: ['call_expression'],
  go: ['call_expression'],
};

const named = (node: Node | null | undefined): Node[] =>
  (node?.namedChildren ?? []).filter((n): n is Node => n !== null && n.type !== 'comment');

/** The call's method and receiver, or undefined for a call of a bare function (those are helpers: the call graph's). */
export function callShape(node: Node, language: SourceLanguage): CallShape | undefined {
  if (language === 'ruby') {
    const method = node.childForFieldName('method');
    const receiver = node.childForFieldName('receiver');
    if (method === null || receiver === null) return undefined;
    const argumentList = node.childForFieldName('arguments');
    const args = named(argumentList);
    const head = argumentList ?? method;
    return { node, method: method.text, receiver, args, headEnd: head.endPosition, headEndIndex: head.endIndex };
  }
  const fn = node.childForFieldName('function');
  const argumentList = node.childForFieldName('arguments');
  const args = argumentList?.type === 'template_string' ? [argumentList] : named(argumentList);
  if (fn === null) return undefined;
  const head = argumentList ?? fn;
  const [objectField, nameField] =
    fn.type === 'attribute'
      ? ['object', 'attribute']
      : fn.type === 'member_expression'
        ? ['object', 'property']
        : fn.type === 'selector_expression'
          ? ['operand', 'field']
          : [];
  if (objectField === undefined || nameField === undefined) return undefined;
  const method = fn.childForFieldName(nameField);
  const receiver = fn.childForFieldName(objectField);
  if (method === null || receiver === null) return undefined;
  return { node, method: method.text, receiver, args, headEnd: head.endPosition, headEndIndex: head.endIndex };
}

/** The receiver's last name when it is a name or a member access (`self.db` → db); a call or literal has none. */
export function receiverName(receiver: Node): string | undefined {
  const match = /^[\w$.:@]+$/.test(receiver.text) ? /([\w$]+)[!?]?$/.exec(receiver.text) : null;
  return match?.[1];
}

const STRING_TYPES = new Set([
  'string',
  'concatenated_string',
  'template_string',
  'interpreted_string_literal',
  'raw_string_literal',
  'heredoc_body',
]);

/** The text of the first argument written as a string literal (quotes and string prefixes removed), if any. */
export function literalArgument(args: readonly Node[]): string | undefined {
  for (const arg of args) {
    if (STRING_TYPES.has(arg.type)) return arg.text.replace(/^[A-Za-z]*("""|'''|["'`])/, '');
  }
  return undefined;
}

/** Node types that continue a chain from the node they start with (`x.m()`, `await x`, `(x)`). */
const CHAIN_LINKS = new Set([
  'call',
  'call_expression',
  'attribute',
  'member_expression',
  'selector_expression',
  'await',
  'await_expression',
  'parenthesized_expression',
  'non_null_expression',
]);

/** Where a value goes when it is not run where it is built: assigned, returned, or handed to another call. */
const HANDED_ON = new Set([
  'assignment',
  'augmented_assignment',
  'variable_declarator',
  'assignment_expression',
  'short_var_declaration',
  'var_spec',
  'assignment_statement',
  'expression_list',
  'return_statement',
  'return',
  'argument_list',
  'arguments',
  'keyword_argument',
  'pair',
  'operator_assignment',
  'yield',
  'lambda',
  'arrow_function',
]);

/**
 * Is the chain this call belongs to a value built here and run elsewhere (`stmt = select(M).with_for_update()`,
 * `return qs.select_for_update()`, `helper(query.with_for_update())`)? Then the site, or its absence, is where it runs.
 */
export function handedOn(node: Node, parentOf: (n: Node) => Node | null): boolean {
  const holder = parentOf(chainTop(node, parentOf));
  return holder !== null && HANDED_ON.has(holder.type);
}

/** The outermost expression of the chain `node` starts (`Order.objects.filter(…)` in `Order.objects.filter(…).get()`). */
export function chainTop(node: Node, parentOf: (n: Node) => Node | null): Node {
  let top = node;
  for (let up = parentOf(top); up !== null && CHAIN_LINKS.has(up.type) && up.startIndex === top.startIndex; up = parentOf(top)) top = up;
  return top;
}

/** The outermost call of the chain `node` starts, where the whole chain is listed. */
export function outermostCall(node: Node, language: SourceLanguage, parentOf: (n: Node) => Node | null): CallShape | undefined {
  let call: CallShape | undefined;
  for (let at: Node | null = node; at !== null && at.startIndex === node.startIndex && CHAIN_LINKS.has(at.type); at = parentOf(at)) {
    if (CALL_TYPES[language as Exclude<SourceLanguage, 'sql'>].includes(at.type)) call = callShape(at, language) ?? call;
  }
  return call;
}

/** Is `name` a parameter of the function around `node` (a helper that runs whatever its callers pass)? */
export function isEnclosingParameter(node: Node, name: string, parentOf: (n: Node) => Node | null): boolean {
  for (let up = parentOf(node); up !== null; up = parentOf(up)) {
    const parameters = up.childForFieldName('parameters');
    if (parameters !== null) return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(parameters.text);
  }
  return false;
}

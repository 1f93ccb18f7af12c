/**
 * Ruby literals of a schema DSL as plain values: strings (heredocs included), symbols, numbers, booleans, nil, arrays,
 * hashes and keyword arguments, and `-> { "SQL" }` lambdas (raw SQL defaults). Anything else is `unknown`, with its text.
 */
import type { Node } from 'web-tree-sitter';
import type { Heredocs } from '../scan/lang/ruby/strings.js';

export type RubyValue =
  | { kind: 'string'; value: string }
  | { kind: 'symbol'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'array'; items: RubyValue[] }
  | { kind: 'hash'; entries: Map<string, RubyValue> }
  | { kind: 'sql'; value: string }
  | { kind: 'unknown'; text: string };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', '0': '\0', '\\': '\\', '"': '"', "'": "'" };

/** The text of a string literal, escapes decoded (single-quoted strings only know \\ and \'). */
function stringText(node: Node): string {
  let out = '';
  for (const child of node.namedChildren) {
    if (child === null) continue;
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'escape_sequence') out += ESCAPES[child.text.slice(1)] ?? child.text.slice(1);
    else out += child.text;
  }
  return out;
}

/** A heredoc's body without its terminator; `<<~` bodies lose their common indentation. */
function heredocText(beginning: Node, heredocs: Heredocs): string | undefined {
  const body = heredocs.bodyOf(beginning);
  if (body === undefined) return undefined;
  const lines = body.text.split('\n');
  lines.pop(); // the terminator line
  if (!beginning.text.startsWith('<<~')) return lines.join('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(common)).join('\n');
}

function hashKey(key: Node): string {
  if (key.type === 'hash_key_symbol') return key.text;
  if (key.type === 'simple_symbol') return key.text.slice(1);
  if (key.type === 'string') return stringText(key);
  return key.text;
}

export function rubyValue(node: Node, heredocs: Heredocs): RubyValue {
  switch (node.type) {
    case 'string':
      return { kind: 'string', value: stringText(node) };
    case 'heredoc_beginning': {
      const text = heredocText(node, heredocs);
      return text === undefined ? { kind: 'unknown', text: node.text } : { kind: 'string', value: text };
    }
    case 'simple_symbol':
      return { kind: 'symbol', value: node.text.slice(1) };
    case 'delimited_symbol':
      return { kind: 'symbol', value: node.text.slice(2, -1) };
    case 'integer':
    case 'float':
      return { kind: 'number', value: Number(node.text.replace(/_/g, '')), text: node.text.replace(/_/g, '') };
    case 'unary':
      return node.text.startsWith('-') && /^-\s*[\d.]+$/.test(node.text)
        ? { kind: 'number', value: Number(node.text.replace(/\s/g, '')), text: node.text.replace(/\s/g, '') }
        : { kind: 'unknown', text: node.text };
    case 'true':
    case 'false':
      return { kind: 'boolean', value: node.type === 'true' };
    case 'nil':
      return { kind: 'nil' };
    case 'array':
      return { kind: 'array', items: node.namedChildren.flatMap((c) => (c === null ? [] : [rubyValue(c, heredocs)])) };
    case 'hash':
      return { kind: 'hash', entries: pairsOf(node.namedChildren, heredocs) };
    case 'lambda': {
      // -> { "now()" }: the body's one string is raw SQL.
      const strings = node.descendantsOfType('string').filter((n): n is Node => n !== null);
      return strings.length === 1 && strings[0] !== undefined
        ? { kind: 'sql', value: stringText(strings[0]) }
        : { kind: 'unknown', text: node.text };
    }
    case 'parenthesized_statements': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner === undefined || inner === null ? { kind: 'unknown', text: node.text } : rubyValue(inner, heredocs);
    }
    default:
      return { kind: 'unknown', text: node.text };
  }
}

function pairsOf(nodes: ReadonlyArray<Node | null>, heredocs: Heredocs): Map<string, RubyValue> {
  const entries = new Map<string, RubyValue>();
  for (const pair of nodes) {
    if (pair === null || pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (key !== null && value !== null) entries.set(hashKey(key), rubyValue(value, heredocs));
  }
  return entries;
}

/** A call's positional arguments and its keyword options (`name, opts: 1` and `name, { opts: 1 }` alike). */
export function callArguments(args: readonly Node[], heredocs: Heredocs): { positional: RubyValue[]; options: Map<string, RubyValue> } {
  const positional: RubyValue[] = [];
  const options = pairsOf(
    args.filter((a) => a.type === 'pair'),
    heredocs,
  );
  for (const arg of args) {
    if (arg.type === 'pair') continue;
    const value = rubyValue(arg, heredocs);
    if (value.kind === 'hash' && arg === args[args.length - 1]) for (const [k, v] of value.entries) options.set(k, v);
    else positional.push(value);
  }
  return { positional, options };
}

/** A string or symbol's text (undefined for anything else). */
export function nameOf(value: RubyValue | undefined): string | undefined {
  return value?.kind === 'string' || value?.kind === 'symbol' ? value.value : undefined;
}

/** Names from a string/symbol or an array of them. */
export function namesOf(value: RubyValue | undefined): string[] | undefined {
  if (value?.kind === 'array') {
    const names = value.items.map(nameOf);
    return names.every((n): n is string => n !== undefined) ? names : undefined;
  }
  const one = nameOf(value);
  return one === undefined ? undefined : [one];
}

/**
 * SQL text from Ruby string expressions: literals, heredocs (paired with their bodies), `"a" "b"`, `+`, sanitize
 * arrays `["… ?", x]`, and variables holding them. `#{…}` interpolations become `$n` in value positions.
 */
import type { Node } from 'web-tree-sitter';
import type { Assignments } from './env.js';
import { argumentsOf, methodName, receiverOf } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** Text before an interpolation that makes it a name, not a value: `FROM #{table}`, `#{schema}.orders`. */
const IDENTIFIER_POSITION = /(\bFROM|\bJOIN|\bUPDATE|\bINTO|\bTABLE|\bONLY|\bEXISTS|\.)\s*$/i;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', '0': '' };

/** Pairs each `<<~SQL` with its body (bodies follow their opening lines, in the same order). */
export class Heredocs {
  private readonly bodies = new Map<number, Node>();

  constructor(root: Node) {
    const begins = descendantsOfType(root, 'heredoc_beginning');
    const bodies = descendantsOfType(root, 'heredoc_body');
    begins.forEach((b, i) => {
      const body = bodies[i];
      if (body !== undefined) this.bodies.set(b.id, body);
    });
  }

  bodyOf(beginning: Node): Node | undefined {
    return this.bodies.get(beginning.id);
  }
}

export interface SqlText {
  text: string;
  /** The literal or heredoc the text was read from (for the site's label). */
  source: Node;
}

export class SqlStrings {
  constructor(
    private readonly heredocs: Heredocs,
    private readonly assignments: Assignments,
  ) {}

  /** The SQL a string expression holds, or undefined when it is not a string Lockscope can read. */
  read(node: Node, depth = 0): SqlText | undefined {
    if (depth > 5) return undefined;
    const counter = { n: 0 };
    const text = this.textOf(node, counter, depth);
    return text === undefined ? undefined : { text, source: node };
  }

  private textOf(node: Node, counter: { n: number }, depth: number): string | undefined {
    switch (node.type) {
      case 'string':
        return this.parts(node.namedChildren, counter);
      case 'heredoc_beginning': {
        const body = this.heredocs.bodyOf(node);
        return body === undefined
          ? undefined
          : this.parts(
              body.namedChildren.filter((c) => c?.type !== 'heredoc_end'),
              counter,
            );
      }
      case 'chained_string': {
        const parts = node.namedChildren.filter((n): n is Node => n !== null).map((c) => this.textOf(c, counter, depth));
        return parts.every((p): p is string => p !== undefined) ? parts.join('') : undefined;
      }
      case 'parenthesized_statements': {
        const inner = node.namedChildren[0];
        return inner === null || inner === undefined ? undefined : this.textOf(inner, counter, depth);
      }
      case 'binary': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const operator = node.childForFieldName('operator')?.text;
        if (left === null || right === null) return undefined;
        // `"… %s" % [x]`: the format string keeps its placeholders, addRawSqlSite rewrites them.
        if (operator === '%') return this.textOf(left, counter, depth);
        if (operator !== '+') return undefined;
        const l = this.textOf(left, counter, depth);
        if (l === undefined) return undefined;
        const r = this.textOf(right, counter, depth);
        return l + (r ?? (IDENTIFIER_POSITION.test(l) ? 'interpolated' : `$${++counter.n}`));
      }
      case 'array': {
        // sanitize_sql_array style: the first element is the SQL, the rest bind `?`.
        const first = node.namedChildren[0];
        return first === null || first === undefined ? undefined : this.textOf(first, counter, depth);
      }
      case 'identifier':
      case 'instance_variable': {
        const value = this.assignments.valueOf(node.text, node);
        return value === undefined || depth >= 5 ? undefined : this.textOf(value, counter, depth + 1);
      }
      case 'call': {
        const name = methodName(node) ?? '';
        const receiver = receiverOf(node);
        // Wrappers that return their SQL argument: sanitize_sql([...]), format("…", x), "…".squish.
        if (/^sanitize_sql/.test(name) || name === 'format' || name === 'sprintf') {
          const first = argumentsOf(node)[0];
          return first === undefined ? undefined : this.textOf(first, counter, depth);
        }
        if (receiver !== null && ['squish', 'strip', 'freeze', 'dup', 'chomp'].includes(name)) return this.textOf(receiver, counter, depth);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private parts(children: ReadonlyArray<Node | null>, counter: { n: number }): string {
    let text = '';
    for (const part of children) {
      if (part === null) continue;
      if (part.type === 'string_content' || part.type === 'heredoc_content') text += part.text;
      else if (part.type === 'escape_sequence') text += ESCAPES[part.text.slice(1)] ?? part.text.slice(1);
      else if (part.type === 'interpolation') text += IDENTIFIER_POSITION.test(text) ? interpolatedName(part) : `$${++counter.n}`;
    }
    return text;
  }
}

/** A name for an interpolation in identifier position: `#{Order.table_name}` → "orders"-ish, `#{table}` → "table_x". */
function interpolatedName(part: Node): string {
  const code = part.namedChildren.find((n) => n !== null)?.text ?? '';
  const simple = /^[a-z_][a-z0-9_]*$/.test(code)
    ? code
    : code
        .replace(/[^A-Za-z0-9_]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .toLowerCase();
  return simple === '' ? 'interpolated' : `"${simple}"`;
}

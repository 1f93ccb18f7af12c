/** Raw SQL in JS/TS: literals, templates (`${x}` → $n), concatenations and SQL constants, and what kind of SQL it is. */
import type { Node } from 'web-tree-sitter';
import { readsAsSql } from '../../../sql/reads-as-sql.js';
import type { ExtractContext } from '../../extractor.js';
import { addRawSqlSite, type LanguageShape } from '../../site-factory.js';
import type { FileScan, SiteOrigin } from '../../types.js';
import type { FileModels } from './models.js';
import { jsLoopsAround, jsSubtransactionAt } from './shape.js';
import { parentOf } from '../../tree-helpers.js';
import { named, stringValue, unwrap } from './syntax.js';

/** Replaces an interpolation with SQL text (a Drizzle table's name) instead of a placeholder. */
export type Substitute = (expression: Node) => string | undefined;

export type SqlKind = 'begin' | 'commit' | 'savepoint' | 'control' | 'set' | 'sql';

export function sqlKind(text: string): SqlKind {
  const t = text.trim().toLowerCase();
  if (/^(begin|start\s+transaction)\b/.test(t)) return 'begin';
  if (/^(commit|end|rollback|abort)\b/.test(t) && !/^rollback\s+to\b/.test(t)) return 'commit';
  if (/^savepoint\b/.test(t)) return 'savepoint';
  if (/^(release|rollback\s+to)\b/.test(t)) return 'control';
  if (/^(set|reset)\b/.test(t) && !/lock_timeout|statement_timeout/.test(t)) return 'set';
  return 'sql';
}

const TABLE_POSITION = /\b(from|join|into|update|table|only)\s*$/i;

/** Interpolations after FROM/JOIN… name a table: keep an identifier there so the SQL still parses. */
function identifierFor(expression: Node): string {
  const name =
    expression.text
      .split('.')
      .pop()
      ?.replace(/[^A-Za-z0-9_]/g, '') ?? '';
  return /^[A-Za-z_]/.test(name) ? name : 'dynamic_table';
}

/**
 * `const lockQuery = Prisma.sql\`…\`` declared in an enclosing block before the use (hoppscotch's lock helpers): the
 * nearest declaration wins over a file-wide constant of the same name, since every helper names its query alike.
 */
function localValue(use: Node): Node | undefined {
  for (let block = parentOf(use); block !== null; block = parentOf(block)) {
    if (block.type !== 'statement_block') continue;
    for (const statement of named(block)) {
      if (statement.startIndex >= use.startIndex) break;
      if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') continue;
      for (const declarator of named(statement)) {
        if (declarator.type === 'variable_declarator' && declarator.childForFieldName('name')?.text === use.text)
          return declarator.childForFieldName('value') ?? undefined;
      }
    }
  }
  return undefined;
}

class Builder {
  private next: number;
  constructor(
    private readonly models: FileModels,
    private readonly substitute: Substitute | undefined,
    private depth = 0,
    start = 1,
  ) {
    this.next = start;
  }

  text(node: Node): string | undefined {
    const n = unwrap(node);
    const literal = stringValue(n);
    if (literal !== undefined) return literal;
    if (n.type === 'template_string') return this.template(n);
    if (n.type === 'binary_expression' && n.children.some((c) => c?.type === '+')) {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left === null || right === null) return undefined;
      const l = this.text(left) ?? this.placeholder(left, '');
      return l + (this.text(right) ?? this.placeholder(right, l));
    }
    if (n.type === 'ternary_expression') {
      // `parentID ? Prisma.sql\`… = ${p} FOR UPDATE\` : Prisma.sql\`… IS NULL FOR UPDATE\``: the branches differ in values.
      const consequence = n.childForFieldName('consequence');
      const alternative = n.childForFieldName('alternative');
      return (consequence === null ? undefined : this.text(consequence)) ?? (alternative === null ? undefined : this.text(alternative));
    }
    if (n.type === 'identifier' && this.depth < 5) {
      const value = localValue(n) ?? this.models.strings.get(n.text);
      if (value === undefined) return undefined;
      this.depth++;
      const out = this.text(value);
      this.depth--;
      return out;
    }
    if (n.type === 'call_expression') {
      // Tagged templates (`sql\`…\``, `Prisma.sql\`…\``) and `sql.raw('…')`.
      const args = n.childForFieldName('arguments');
      if (args?.type === 'template_string') return this.template(args);
      const fn = n.childForFieldName('function')?.text ?? '';
      if (/(^|\.)raw$/.test(fn) && args !== null) {
        const first = named(args)[0];
        return first === undefined ? undefined : this.text(first);
      }
    }
    return undefined;
  }

  private placeholder(expression: Node, before: string): string {
    const substituted = this.substitute?.(unwrap(expression));
    if (substituted !== undefined) return substituted;
    if (TABLE_POSITION.test(before)) return identifierFor(expression);
    return `$${this.next++}`;
  }

  private template(n: Node): string {
    let out = '';
    for (const c of named(n)) {
      if (c.type === 'string_fragment') out += c.text;
      else if (c.type === 'escape_sequence') out += c.text.slice(1);
      else if (c.type === 'template_substitution') {
        const inner = named(c)[0];
        if (inner === undefined) continue;
        // A nested SQL fragment (`${sql`…`}`) or a constant is inlined; anything else is a value.
        const nested = unwrap(inner).type === 'identifier' && !this.models.strings.has(unwrap(inner).text) ? undefined : this.text(inner);
        out += nested !== undefined && looksLikeSqlFragment(nested) ? nested : this.placeholder(inner, out);
      }
    }
    return out;
  }
}

const looksLikeSqlFragment = (text: string): boolean => /\b(and|or|where|select|from|join|order by|limit)\b/i.test(text);

/** The SQL text of an argument, with interpolations as $n placeholders numbered after any $n already written. */
export function sqlText(node: Node | undefined, models: FileModels, substitute?: Substitute): string | undefined {
  if (node === undefined) return undefined;
  const highest = Math.max(0, ...[...node.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return new Builder(models, substitute, 0, highest + 1).text(node);
}

/**
 * Records the SQL passed to a query API: a site for statements, a subtransaction for SAVEPOINT, nothing for
 * BEGIN/COMMIT (the block is the transaction scope) or for strings that are not SQL. Returns true when handled.
 */
export function addRawSql(
  scan: FileScan,
  context: ExtractContext,
  shape: LanguageShape,
  at: Node,
  sql: string | undefined,
  origin: SiteOrigin,
  label?: string,
): boolean {
  if (sql === undefined || !readsAsSql(sql)) return false;
  const kind = sqlKind(sql);
  if (kind === 'savepoint') {
    scan.subtransactions.push(jsSubtransactionAt(context, shape, at, 'SAVEPOINT'));
    return true;
  }
  if (kind !== 'sql') return true;
  const before = scan.sites.length;
  addRawSqlSite(scan, context, shape, at, sql, origin, label);
  const site = scan.sites[before];
  if (site !== undefined) site.loops = jsLoopsAround(at);
  return true;
}

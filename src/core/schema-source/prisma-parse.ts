/** A Prisma schema read into blocks, fields and attributes (`@id`, `@default(now())`, `@@index([a, b], map: "x")`). */

export interface PrismaAttribute {
  /** `id`, `default`, `db.VarChar`, `@index` (block attributes keep their second `@`). */
  name: string;
  /** Positional arguments as written. */
  args: string[];
  /** Named arguments as written (`fields: [a]` → fields → "[a]"). */
  named: Map<string, string>;
}

export interface PrismaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attributes: PrismaAttribute[];
  /** 1-based line. */
  line: number;
}

export interface PrismaBlock {
  kind: string;
  name: string;
  fields: PrismaField[];
  /** `@@` attributes, named without the leading `@@`, e.g. "index". */
  blockAttributes: Array<PrismaAttribute & { line: number }>;
  /** Enum values (database names: `@map`ped where mapped). */
  values: string[];
  line: number;
}

/** Splits `a, b(c, d), e: [f, g]` at top-level commas. */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '"' && text[i - 1] !== '\\') quote = !quote;
    if (!quote && '([{'.includes(ch)) depth++;
    if (!quote && ')]}'.includes(ch)) depth--;
    if (!quote && depth === 0 && ch === separator) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/** The attributes written after a field's type (or on a `@@` line). */
export function parseAttributes(text: string): PrismaAttribute[] {
  const out: PrismaAttribute[] = [];
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    const name = /^@?@?[\w.]+/.exec(text.slice(at))?.[0] ?? '@';
    let end = at + name.length;
    let inner = '';
    if (text[end] === '(') {
      let depth = 0;
      let quote = false;
      let j = end;
      for (; j < text.length; j++) {
        const ch = text[j];
        if (ch === '"' && text[j - 1] !== '\\') quote = !quote;
        if (quote) continue;
        if (ch === '(') depth++;
        if (ch === ')' && --depth === 0) break;
      }
      inner = text.slice(end + 1, j);
      end = j + 1;
    }
    const args: string[] = [];
    const named = new Map<string, string>();
    for (const part of splitTopLevel(inner)) {
      const match = /^(\w+)\s*:\s*([\s\S]*)$/.exec(part);
      if (match?.[1] !== undefined && match[2] !== undefined) named.set(match[1], match[2].trim());
      else args.push(part);
    }
    out.push({ name: name.replace(/^@/, ''), args, named });
    i = end;
  }
  return out;
}

/** Removes a `//` comment outside strings. */
function withoutComment(line: string): string {
  let quote = false;
  for (let i = 0; i < line.length - 1; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') quote = !quote;
    if (!quote && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

export function parsePrismaSchema(text: string): PrismaBlock[] {
  const blocks: PrismaBlock[] = [];
  let current: PrismaBlock | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = withoutComment(raw).trim();
    const lineNo = index + 1;
    if (current === undefined) {
      const open = /^(\w+)\s+(\w+)\s*\{$/.exec(line);
      if (open?.[1] !== undefined && open[2] !== undefined)
        current = { kind: open[1], name: open[2], fields: [], blockAttributes: [], values: [], line: lineNo };
      return;
    }
    if (line === '}') {
      blocks.push(current);
      current = undefined;
      return;
    }
    if (line === '') return;
    if (line.startsWith('@@')) {
      for (const attribute of parseAttributes(line))
        current.blockAttributes.push({ ...attribute, name: attribute.name.replace(/^@/, ''), line: lineNo });
      return;
    }
    if (current.kind === 'enum') {
      const [value, ...rest] = line.split(/\s+/);
      const mapped = parseAttributes(rest.join(' ')).find((a) => a.name === 'map')?.args[0];
      if (value !== undefined) current.values.push(mapped === undefined ? value : unquote(mapped));
      return;
    }
    const field = /^(\w+)\s+([\w.]+(?:\([^)]*\))?)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (field?.[1] === undefined || field[2] === undefined) return;
    current.fields.push({
      name: field[1],
      type: field[2],
      list: field[3] !== undefined,
      optional: field[4] !== undefined,
      attributes: parseAttributes(field[5] ?? ''),
      line: lineNo,
    });
  });
  return blocks;
}

/** `"text"` → text. */
export function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).replace(/\\"/g, '"') : trimmed;
}

/** `[a, b(sort: Desc)]` → ["a", "b(sort: Desc)"]. */
export function listItems(value: string | undefined): string[] {
  if (value === undefined) return [];
  const trimmed = value.trim();
  return splitTopLevel(trimmed.startsWith('[') ? trimmed.slice(1, -1) : trimmed);
}

/**
 * schema.prisma's models: the table each maps to (`@@map("orders")`, `@@schema("billing")`, else the model's own
 * name) and its relation fields (a field typed with another model). Read by the model pass, so `prisma.order…` calls
 * in any file find their real table.
 */

export interface PrismaModel {
  name: string;
  table: string;
  /** true when @@map names the table (otherwise Prisma uses the model name as is). */
  mapped: boolean;
  /** Relation field → related model name. */
  relations: Record<string, string>;
}

/** `model Name { … }` blocks; comments removed first so a commented-out @@map does not count. */
export function readPrismaSchema(text: string): PrismaModel[] {
  const source = text.replace(/\/\/[^\n]*/g, '');
  const blocks = [...source.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)];
  const names = new Set(blocks.map((b) => b[1] ?? ''));
  return blocks.map((block) => {
    const name = block[1] ?? '';
    const body = block[2] ?? '';
    const map = /@@map\(\s*(?:name\s*:\s*)?"([^"]+)"\s*\)/.exec(body)?.[1];
    const schema = /@@schema\(\s*"([^"]+)"\s*\)/.exec(body)?.[1];
    const relations: Record<string, string> = {};
    for (const line of body.split('\n')) {
      const field = /^\s*(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      if (field !== null && field[1] !== undefined && field[2] !== undefined && names.has(field[2])) relations[field[1]] = field[2];
    }
    const table = map ?? name;
    return { name, table: schema !== undefined ? `${schema}.${table}` : table, mapped: map !== undefined, relations };
  });
}

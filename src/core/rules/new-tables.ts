/**
 * Tables created earlier in the same file: DDL on them (a migration that creates a table and then indexes it, a squashed
 * schema run on an empty database) locks a table no query uses yet, so the DDL rules stay quiet about it. Likewise a
 * `DROP TABLE IF EXISTS` of a table the same file creates right after: the leftover of an earlier partial run of the
 * migration's own scratch table, which nothing else queries.
 */
import type { AnalyzedSite, Analysis } from '../analyze/analyze.js';
import { nodeAs } from '../sql/ast.js';
import type { Statement } from '../statement.js';

interface Creation {
  name: string;
  site: AnalyzedSite;
  statement: number;
}

/** "public.Orders" / `"app"."orders"` → "orders": inside one migration file the bare name is unambiguous enough. */
function bareName(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.startsWith('"') ? last.replace(/^"|"$/g, '') : last.toLowerCase();
}

/** The table a CREATE TABLE or CREATE TABLE … AS statement creates. */
function createdTable(statement: Statement): string | undefined {
  const create = nodeAs(statement.ast, 'CreateStmt')?.relation ?? nodeAs(statement.ast, 'CreateTableAsStmt')?.into?.rel;
  return create?.relname === undefined ? undefined : bareName(create.relname);
}

const creationsByAnalysis = new WeakMap<Analysis, Map<string, Creation[]>>();

function creations(analysis: Analysis): Map<string, Creation[]> {
  let byFile = creationsByAnalysis.get(analysis);
  if (byFile !== undefined) return byFile;
  byFile = new Map();
  for (const site of analysis.sites) {
    if (site.via !== undefined) continue;
    site.statements.forEach((statement, index) => {
      const name = createdTable(statement);
      if (name === undefined) return;
      const list = byFile!.get(site.site.file) ?? [];
      list.push({ name, site, statement: index });
      byFile!.set(site.site.file, list);
    });
  }
  creationsByAnalysis.set(analysis, byFile);
  return byFile;
}

function before(a: AnalyzedSite, aIndex: number, b: AnalyzedSite, bIndex: number): boolean {
  if (a === b) return aIndex < bIndex;
  const x = a.site.range.start;
  const y = b.site.range.start;
  return x.line < y.line || (x.line === y.line && x.character < y.character);
}

/** Were all these relations created by a statement before (or, `after`, after) `statement` of `site`, in the same file? */
export function createdEarlierInFile(
  analysis: Analysis,
  site: AnalyzedSite,
  statement: Statement,
  relations: readonly string[],
  after = false,
): boolean {
  if (relations.length === 0) return false;
  const index = site.statements.indexOf(statement);
  const created = (creations(analysis).get(site.site.file) ?? []).filter((c) =>
    after ? before(site, index, c.site, c.statement) : before(c.site, c.statement, site, index),
  );
  return relations.every((name) => created.some((c) => c.name === bareName(name)));
}

/**
 * `DROP TABLE IF EXISTS t` with `t` created later in the same file (mcp-context-forge's downgrade: `DROP TABLE IF EXISTS
 * prompts_old`, then `op.create_table("prompts_old", …)`): a scratch table left by an earlier partial run, unused.
 */
export function dropsScratchTable(analysis: Analysis, site: AnalyzedSite, statement: Statement): boolean {
  const drop = nodeAs(statement.ast, 'DropStmt');
  if (drop?.missing_ok !== true || drop.removeType !== 'OBJECT_TABLE') return false;
  return createdEarlierInFile(
    analysis,
    site,
    statement,
    statement.relations.filter((r) => r.role === 'ddl-target').map((r) => r.name),
    true,
  );
}

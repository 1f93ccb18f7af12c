/**
 * `lockscope schema [PATH]`: finds the repository's schema source with no configuration, loads it into the embedded
 * database and prints what was found, how it loaded (relation counts, time, peak memory) and everything skipped or
 * not translated, with file and line.
 */
import { resolve } from 'node:path';
import type { DiscoveredSchema, UntranslatedConstruct } from '../../core/schema-source/index.js';
import { openEmbeddedSession } from '../../db/embedded-session.js';
import type { SkippedStatement } from '../../db/schema-loader.js';
import { discoverRepositorySchema } from '../../db/schema-discovery.js';
import type { SqlSession } from '../../db/session.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { embeddedCacheDir } from '../open-database.js';

export interface SchemaOptions {
  json: boolean;
}

/** Relations the load created, by kind (outside the system schemas). */
export interface SchemaCounts {
  tables: number;
  partitionedTables: number;
  partitions: number;
  indexes: number;
  views: number;
  sequences: number;
}

export interface SchemaCommandJson {
  root: string;
  source: DiscoveredSchema;
  load: SchemaCounts & { statements: number; seconds: number; peakRssMb: number; cache: 'hit' | 'stored' | 'off' };
  /** Statements the embedded database skipped (server-only objects, what depended on them). */
  skipped: SkippedStatement[];
  /** Constructs of the source that could not be turned into DDL. */
  untranslated: UntranslatedConstruct[];
}

const COUNTS_SQL = `
  SELECT count(*) FILTER (WHERE c.relkind = 'r' AND NOT c.relispartition)::int AS tables,
         count(*) FILTER (WHERE c.relkind = 'p' AND NOT c.relispartition)::int AS "partitionedTables",
         count(*) FILTER (WHERE c.relkind IN ('r', 'p') AND c.relispartition)::int AS partitions,
         count(*) FILTER (WHERE c.relkind IN ('i', 'I'))::int AS indexes,
         count(*) FILTER (WHERE c.relkind IN ('v', 'm'))::int AS views,
         count(*) FILTER (WHERE c.relkind = 'S')::int AS sequences
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'`;

export async function schemaCounts(session: SqlSession): Promise<SchemaCounts> {
  const [row] = await session.query<SchemaCounts>(COUNTS_SQL);
  if (row === undefined) throw new Error('counting relations returned no row');
  return row;
}

function where(item: { file: string; line: number }): string {
  return `${item.file}:${item.line}`;
}

export function formatSchemaText(result: SchemaCommandJson): string {
  const l = result.load;
  const files = result.source.files;
  const out = [
    `source      ${result.source.description}`,
    `files       ${files.length <= 3 ? files.join(', ') : `${files.slice(0, 2).join(', ')} … ${files[files.length - 1] ?? ''} (${files.length})`}`,
    `loaded      ${l.tables} tables, ${l.partitionedTables} partitioned (${l.partitions} partitions), ${l.indexes} indexes, ${l.views} views, ${l.sequences} sequences`,
    `            ${l.statements} statements in ${l.seconds.toFixed(2)} s, peak memory ${l.peakRssMb} MB, cache ${l.cache}`,
  ];
  out.push(`skipped     ${result.skipped.length}`);
  for (const s of result.skipped) out.push(`  ${where(s)}  ${s.statement}\n      ${s.reason}`);
  out.push(`untranslated ${result.untranslated.length}`);
  for (const u of result.untranslated) out.push(`  ${where(u)}  ${u.construct}\n      ${u.reason}`);
  return out.join('\n');
}

export async function runSchemaCommand(ctx: CommandContext, paths: readonly string[], options: SchemaOptions): Promise<number> {
  if (paths.length > 1) throw new UsageError(`lockscope schema takes one folder (got "${paths.join(' ')}").`);
  const root = resolve(paths[0] ?? '.');
  const started = performance.now();
  const found = await discoverRepositorySchema(root);
  if (found === undefined)
    throw new UsageError(
      `No schema source found under ${root}: looked for structure.sql or pg_dump output, db/schema.rb, Prisma migrations or schema.prisma, directories of SQL migrations and SQLAlchemy models (docs/cli.md).`,
    );
  const cacheDir = embeddedCacheDir(ctx.env);
  const session = await openEmbeddedSession({
    schemaSources: found.translated.sources,
    ...(cacheDir === undefined ? {} : { cacheDir }),
  });
  try {
    const counts = await schemaCounts(session);
    const report = session.schemaReport;
    const result: SchemaCommandJson = {
      root,
      source: found.schema,
      load: {
        ...counts,
        statements: report.applied,
        seconds: Math.round(performance.now() - started) / 1000,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        cache: report.cache ?? 'off',
      },
      skipped: report.skipped,
      untranslated: found.translated.untranslated,
    };
    ctx.stdout(options.json ? JSON.stringify(result, null, 2) : formatSchemaText(result));
    return 0;
  } finally {
    await session.close();
  }
}

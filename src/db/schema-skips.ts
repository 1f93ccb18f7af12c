/**
 * Which failed schema statements the embedded database may do without, and why: things that only make sense on the
 * original server (roles, ownership, grants, publications, extensions PGlite does not ship, pg_partman's calls), and
 * statements that fail only because an earlier one was skipped. Everything else is a real error.
 */

/** A statement kind that can only apply on the original server, with the note a user sees when it is skipped. */
interface ServerOnlyKind {
  pattern: RegExp;
  note: string;
}

const SERVER_ONLY: readonly ServerOnlyKind[] = [
  { pattern: /^ALTER\s+.*\s+OWNER\s+TO\s/is, note: 'ownership' },
  { pattern: /^(GRANT|REVOKE)\s/i, note: 'privileges' },
  { pattern: /^ALTER\s+DEFAULT\s+PRIVILEGES\s/i, note: 'privileges' },
  { pattern: /^(CREATE|ALTER|DROP)\s+(ROLE|USER|GROUP)\s/i, note: 'roles' },
  { pattern: /^SET\s+(SESSION\s+)?ROLE\b/i, note: 'roles' },
  { pattern: /^(CREATE|COMMENT\s+ON|ALTER)\s+EXTENSION\s/i, note: 'an extension the embedded database does not ship' },
  { pattern: /^(CREATE|ALTER)\s+(PUBLICATION|SUBSCRIPTION|EVENT\s+TRIGGER)\s/i, note: 'replication or event trigger' },
  { pattern: /^(CREATE|ALTER)\s+(TABLESPACE|SERVER|USER\s+MAPPING|FOREIGN\s+DATA\s+WRAPPER)\s/i, note: 'server object' },
  { pattern: /^ALTER\s+SYSTEM\s/i, note: 'server setting' },
  { pattern: /^SECURITY\s+LABEL\s/i, note: 'security label' },
  { pattern: /^SET\s+default_table_access_method\b/i, note: 'server setting' },
  { pattern: /^SELECT\s+pg_catalog\.set_config\('search_path'/i, note: 'server setting' },
  { pattern: /^SELECT\s+(\w+\.)?(create_parent|create_sub_parent|run_maintenance)\s*\(/i, note: 'pg_partman call' },
  { pattern: /^(INSERT\s+INTO|UPDATE)\s+(partman\.)?part_config/i, note: 'pg_partman configuration' },
];

/**
 * SQLSTATEs of "it is not there": a type, function, table or schema that an earlier skipped statement would have
 * created. Only accepted as a consequence once something was skipped, so a plain typo still stops the load.
 */
const MISSING_OBJECT = new Set(['42704', '42883', '42P01', '3F000', '42703', '0A000']);

export interface SkipDecision {
  /** Why the statement is skipped, shown with its file and line. */
  reason: string;
}

/**
 * Decides whether a failed statement is skipped (undefined: it is a real error). `bare` is the statement without
 * leading comments; `skippedBefore` tells whether anything earlier in the load was skipped.
 */
export function skipDecision(
  bare: string,
  sqlState: string | undefined,
  message: string,
  skippedBefore: boolean,
): SkipDecision | undefined {
  const kind = SERVER_ONLY.find((k) => k.pattern.test(bare));
  if (kind !== undefined) return { reason: `${kind.note}: ${message}` };
  if (skippedBefore && sqlState !== undefined && MISSING_OBJECT.has(sqlState))
    return { reason: `needs something an earlier skipped statement would have created: ${message}` };
  return undefined;
}

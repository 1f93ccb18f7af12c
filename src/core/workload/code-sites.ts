/** Query sites in code indexed by query fingerprint, so a statement pg_stat_statements saw links to the code sending it. */
import type { QuerySite } from '../scan/types.js';
import { fingerprintSql } from '../sql/index.js';
import type { CodeSite } from './rank.js';

/** fingerprintSql(site.sql) → the sites issuing it, in scan order; sites whose SQL does not fingerprint are skipped. */
export function codeSitesByFingerprint(sites: Iterable<QuerySite>): Map<string, CodeSite[]> {
  const out = new Map<string, CodeSite[]>();
  for (const site of sites) {
    const fp = fingerprintSql(site.sql);
    if (fp === undefined) continue;
    const list = out.get(fp) ?? [];
    list.push({ file: site.file, line: site.range.start.line, character: site.range.start.character, origin: site.origin });
    out.set(fp, list);
  }
  return out;
}

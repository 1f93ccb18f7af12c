/**
 * Drivers: node-postgres `pool.query(sql, params)` / `client.query({ text })`, pg-promise's `db.one(sql)` family and
 * postgres.js's `sql`…``. Only arguments that read as SQL become sites (checked when the site is added).
 */
import type { FileModels } from './models.js';
import { fromImports, type Outcome, type Recognizer } from './recognizer.js';
import { executes, objectProp, unwrap, type Chain } from './syntax.js';

const PG_PROMISE = new Set(['one', 'none', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result', 'multi', 'unsafe']);

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  const links = chain.links;
  const last = links[links.length - 1];
  const receiver = links[links.length - 2];
  // postgres.js: await sql`SELECT …`
  if (links.length === 1 && last?.name === 'sql' && last.args?.[0]?.type === 'template_string' && executes(chain.top))
    return { kind: 'raw', origin: 'sql-string', sql: last.args[0] };
  if (last === undefined || receiver === undefined || last.args === undefined) return undefined;
  const first = last.args[0];
  if (first === undefined) return undefined;
  const sql = unwrap(first).type === 'object' ? objectProp(first, 'text') : first;
  if (last.name === 'query') {
    const pg = fromImports(models, /^pg(-pool)?$|^@neondatabase|^@vercel\/postgres/) || /pool|client|pg|conn/i.test(receiver.name);
    return { kind: 'raw', origin: pg ? 'node-postgres' : 'sql-string', sql };
  }
  if (PG_PROMISE.has(last.name) && /^(db|t|tx|task|pgp|conn)$/i.test(receiver.name)) return { kind: 'raw', origin: 'sql-string', sql };
  return undefined;
}

export const nodePostgresRecognizer: Recognizer = { origin: 'node-postgres', recognize };

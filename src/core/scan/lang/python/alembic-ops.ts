/**
 * Alembic's `op.create_table("name", sa.Column(…), sa.ForeignKeyConstraint(…), …)` written out as the CREATE TABLE it
 * sends: its columns (text-like types as text, so a TOAST table is predicted) and foreign keys (their referenced
 * tables are locked), so the DDL rules know which tables the migration creates (a scratch table dropped first).
 */
import type { Node } from 'web-tree-sitter';
import { quoteName } from '../../orm/synthesize.js';
import { keywordArgs, positionalArgs, simpleName, stringValue, type Chain } from './syntax.js';

/** SQLAlchemy types stored out of line (varlena): the table gets a TOAST table. */
const TEXT_TYPES = /^(String|Text|Unicode|UnicodeText|VARCHAR|TEXT|JSON|JSONB|LargeBinary|ARRAY|Enum|PickleType)$/;

/** `"gateways.id"` → `gateways (id)`. */
function reference(target: string): string | undefined {
  const parts = target.split('.');
  const column = parts.pop();
  if (column === undefined || parts.length === 0) return undefined;
  return `${parts.map(quoteName).join('.')} (${quoteName(column)})`;
}

const callName = (node: Node): string | undefined =>
  node.type === 'call' ? simpleName(node.childForFieldName('function') ?? undefined) : undefined;

function column(call: Node): string | undefined {
  const args = positionalArgs(call.childForFieldName('arguments') ?? undefined);
  const name = args[0] === undefined ? undefined : stringValue(args[0]);
  if (name === undefined) return undefined;
  const typeNode = args[1];
  const typeName = typeNode === undefined ? undefined : (callName(typeNode) ?? simpleName(typeNode));
  const type = typeName !== undefined && TEXT_TYPES.test(typeName) ? 'text' : 'bigint';
  const foreign = args.slice(1).find((a) => callName(a) === 'ForeignKey');
  const target = foreign === undefined ? undefined : positionalArgs(foreign.childForFieldName('arguments') ?? undefined)[0];
  const referenced = target === undefined ? undefined : stringValue(target);
  const references = referenced === undefined ? undefined : reference(referenced);
  return `${quoteName(name)} ${type}${references === undefined ? '' : ` REFERENCES ${references}`}`;
}

function strings(list: Node | undefined): string[] | undefined {
  if (list === undefined || (list.type !== 'list' && list.type !== 'tuple')) return undefined;
  const values = list.namedChildren.map((c) => (c === null ? undefined : stringValue(c)));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

function foreignKeyConstraint(call: Node): string | undefined {
  const [local, remote] = positionalArgs(call.childForFieldName('arguments') ?? undefined).map(strings);
  const target = remote?.[0]?.split('.');
  if (local === undefined || remote === undefined || target === undefined || target.length < 2) return undefined;
  const table = target.slice(0, -1).map(quoteName).join('.');
  const columns = remote.map((r) => quoteName(r.split('.').pop() ?? r)).join(', ');
  return `FOREIGN KEY (${local.map(quoteName).join(', ')}) REFERENCES ${table} (${columns})`;
}

/** The CREATE TABLE an `op.create_table(…)` call sends, or undefined when the call is not one or names no table. */
export function alembicCreateTable(chain: Chain): string | undefined {
  const last = chain.links[chain.links.length - 1];
  if (chain.rootText !== 'op' || chain.links.length !== 1 || last?.name !== 'create_table') return undefined;
  const [nameNode, ...rest] = positionalArgs(last.args);
  const name = nameNode === undefined ? undefined : stringValue(nameNode);
  if (name === undefined) return undefined;
  const elements = rest.flatMap((arg) => {
    const kind = callName(arg);
    const element = kind === 'Column' ? column(arg) : kind === 'ForeignKeyConstraint' ? foreignKeyConstraint(arg) : undefined;
    return element === undefined ? [] : [element];
  });
  const schema = keywordArgs(last.args).get('schema');
  const schemaName = schema === undefined ? undefined : stringValue(schema);
  return `CREATE TABLE ${schemaName === undefined ? '' : `${quoteName(schemaName)}.`}${quoteName(name)} (${elements.join(', ')})`;
}

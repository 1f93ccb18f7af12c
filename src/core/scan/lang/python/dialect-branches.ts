/**
 * Code that only runs on another database: the branch of `if bind.dialect.name == "sqlite":` (Alembic migrations that
 * support SQLite and PostgreSQL), or the `else` of `if dialect == "postgresql":`. Its statements are not PostgreSQL's,
 * so they are not sites.
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';

const OTHER = `['"](sqlite|mysql|mariadb|mssql|oracle)['"]`;
/** `dialect == "sqlite"`, `bind.dialect.name in ("sqlite", …)`, `dialect_name != "postgresql"`. */
const OTHER_DIALECT = new RegExp(
  `dialect[\\w.]*\\s*(==|in)\\s*\\(?\\s*${OTHER}|${OTHER}\\s*==\\s*[\\w.]*dialect|dialect[\\w.]*\\s*!=\\s*['"]postgres(ql)?['"]`,
);
const POSTGRES_DIALECT = /dialect[\w.]*\s*==\s*['"]postgres(ql)?['"]/;

/** Is `node` inside a branch taken only when the database is not PostgreSQL? */
export function inOtherDialectBranch(node: Node): boolean {
  for (let child: Node = node, parent = parentOf(node); parent !== null; child = parent, parent = parentOf(parent)) {
    if (child.type !== 'block') continue;
    if ((parent.type === 'if_statement' || parent.type === 'elif_clause') && parent.childForFieldName('consequence')?.id === child.id) {
      if (OTHER_DIALECT.test(parent.childForFieldName('condition')?.text ?? '')) return true;
    }
    // `else:` after `if dialect == "postgresql":` (the elif branches have conditions of their own).
    if (parent.type === 'else_clause' && parent.parent?.type === 'if_statement') {
      if (POSTGRES_DIALECT.test(parent.parent.childForFieldName('condition')?.text ?? '')) return true;
    }
  }
  return false;
}

/** A three-file Python app whose caller loops over a locking helper of another module: the cross-file lint fixture. */

export const MODELS = 'class Tool(Base):\n    __tablename__ = "tools"\n';

export const HELPER = [
  'from sqlalchemy import select',
  'from app.db import Tool',
  '',
  'def lock_tool(db, tool_id):',
  '    return db.execute(select(Tool).where(Tool.id == tool_id).with_for_update()).scalar_one()',
  '',
].join('\n');

/** The loop's call to lock_tool is on line 4 (0-based). */
export const CALLER = [
  'from app.locking import lock_tool',
  '',
  'def disable_all(db, ids):',
  '    for i in ids:',
  '        lock_tool(db, i)',
  '',
].join('\n');

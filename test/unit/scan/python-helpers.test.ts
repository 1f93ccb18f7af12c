/**
 * One level of summaries across functions and files: a generic helper that locks a row of whatever model it is given
 * (`get_for_update(db, model, id)`, in its own module) makes each caller lock that model's table, inside the caller's
 * loops and transaction.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { scanFiles } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const MODELS =
  'class Order(Base):\n    __tablename__ = "orders"\n    items = relationship("Item")\n\nclass Item(Base):\n    __tablename__ = "items"\n';
const HELPERS = [
  'def get_for_update(db, model, row_id):',
  '    return db.query(model).filter_by(id=row_id).with_for_update().one()',
  '',
  'def lock_by_pk(db, model, row_id):',
  '    return db.get(model, row_id, with_for_update={"nowait": True})',
  '',
].join('\n');
const SERVICES = [
  'from .db import get_for_update, lock_by_pk as lock_row',
  'from .models import Item, Order',
  '',
  'def cancel(db, order_id, item_ids):',
  '    with db.begin():',
  '        get_for_update(db, Order, order_id)',
  '        for item_id in item_ids:',
  '            lock_row(db, Item, item_id)',
  '',
  'def unknown_model(db, klass, row_id):',
  '    get_for_update(db, klass, row_id)',
  '',
].join('\n');

function analysed() {
  const scans = scanFiles([
    { file: 'shop/models.py', text: MODELS },
    { file: 'shop/db.py', text: HELPERS },
    { file: 'shop/services.py', text: SERVICES },
  ]);
  return analyze(scans, undefined);
}

test('the helper’s own site has no table of its own: its statement names the parameter', () => {
  const helper = analysed().sites.filter((a) => a.site.file === 'shop/db.py' && a.via === undefined);
  assert.deepEqual(
    helper.map((a) => [a.site.tableParameter?.name, a.site.tableParameter?.index, a.plan]),
    [
      ['model', 1, undefined],
      ['model', 1, undefined],
    ],
  );
  assert.match(helper[0]?.notes[0] ?? '', /the table is the model passed as model/);
});

test('each call locks the table of the model it passes, in its own loop and transaction, across files and aliases', () => {
  const calls = analysed().sites.filter((a) => a.via !== undefined);
  assert.deepEqual(
    calls.map((a) => [a.site.file, a.site.range.start.line, a.site.sql, a.site.loops.length, a.site.transaction?.kind]),
    [
      ['shop/services.py', 5, 'SELECT * FROM orders WHERE id = $1 FOR UPDATE', 0, 'with db.begin()'],
      ['shop/services.py', 7, 'SELECT * FROM items WHERE id = $1 FOR UPDATE NOWAIT', 1, 'with db.begin()'],
    ],
    'a call passing something that names no model (klass) is not counted',
  );
});

test('the rules see it: cascading row locks at the loop’s call', () => {
  const findings = runRules(analysed()).filter((f) => f.file === 'shop/services.py');
  const cascade = findings.find((f) => f.ruleId === 'cascading-row-locks');
  assert.equal(cascade?.range.start.line, 7);
  assert.match(cascade?.message ?? '', /orders is locked, then items rows are locked one per iteration/);
});

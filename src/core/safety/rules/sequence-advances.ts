/**
 * Sequences are the one thing every rolled-back write still changes: nextval (called directly or by a serial or
 * identity column's default) and setval are not undone by ROLLBACK. They are allowed, with a warning that says so.
 */
import { forEachFuncCall, nodeAs } from '../../sql/ast.js';
import { resolveRelation } from '../../catalog.js';
import type { GuardFinding, GuardOptions, GuardRule } from '../types.js';
import { nodesOf } from '../walk.js';
import type { RangeVar } from '@pgsql/types';

const warn = (reason: string): GuardFinding => ({ rule: 'sequence-advances', severity: 'warn', reason });

/** Sequence-fed columns of an insert target, or undefined when there is no catalog to say. */
function sequenceColumns(target: RangeVar | undefined, options: GuardOptions): string[] | undefined {
  if (options.catalog === undefined || target?.relname === undefined) return undefined;
  const relation = resolveRelation(options.catalog, target.schemaname, target.relname);
  return (relation?.columns ?? []).filter((c) => c.sequenceOid !== undefined).map((c) => c.name);
}

function insertWarning(target: RangeVar | undefined, options: GuardOptions): GuardFinding | undefined {
  const name = target?.schemaname !== undefined ? `${target.schemaname}.${target.relname ?? ''}` : (target?.relname ?? 'the table');
  const columns = sequenceColumns(target, options);
  if (columns === undefined)
    return warn(`inserting into ${name} advances the sequences of its serial/identity columns, if any; a rollback does not undo that.`);
  if (columns.length === 0) return undefined;
  return warn(`inserting into ${name} advances the sequence of ${columns.join(', ')}; a rollback does not undo that.`);
}

export const sequenceAdvances: GuardRule = (stmt, options) => {
  const findings: GuardFinding[] = [];
  forEachFuncCall(stmt, (name) => {
    if (name === 'nextval') findings.push(warn('nextval() advances a sequence; a rollback does not undo that.'));
    if (name === 'setval') findings.push(warn('setval() sets a sequence; a rollback does not undo that.'));
  });
  for (const insert of nodesOf(stmt, 'InsertStmt')) {
    const finding = insertWarning(insert.relation, options);
    if (finding !== undefined) findings.push(finding);
  }
  for (const merge of nodesOf(stmt, 'MergeStmt')) {
    const inserts = (merge.mergeWhenClauses ?? []).some((c) => nodeAs(c, 'MergeWhenClause')?.commandType === 'CMD_INSERT');
    const finding = inserts ? insertWarning(merge.relation, options) : undefined;
    if (finding !== undefined) findings.push(finding);
  }
  for (const copy of nodesOf(stmt, 'CopyStmt')) {
    const finding = copy.is_from === true ? insertWarning(copy.relation, options) : undefined;
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
};

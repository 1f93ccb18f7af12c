/**
 * ActiveRecord sites: one per call chain that sends SQL (at the outermost call), with the synthesized statements.
 * A relation that is built but not run in the chain is reported where it ends, unless a variable carries it to a
 * chain that runs it (that chain reports it), or it is a `scope` body (its callers report it).
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { synthesizeSql } from '../../orm/synthesize.js';
import { compactLabel } from '../../site-factory.js';
import type { FileScan } from '../../types.js';
import type { ActiveRecordReader, Evaluation } from './activerecord.js';
import { localScope, within } from './env.js';
import { emitSite } from './emit.js';
import { associationNames, selectOf } from './values.js';
import { blockOf, isCall, methodName, receiverOf } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** The chain's text without a trailing block, for the label. */
function chainText(top: Node): string {
  const block = isCall(top) ? blockOf(top) : null;
  let text = block === null ? top.text : top.text.slice(0, block.startIndex - top.startIndex);
  // Comments between the links of a multi-line chain (`# lockscope: site` markers too) are not part of the call.
  for (const comment of descendantsOfType(top, 'comment'))
    if (comment !== null && (block === null || comment.startIndex < block.startIndex)) text = text.replace(comment.text, '');
  return text;
}

/** `includes`/`preload` names not JOINed (no `references`): loaded by extra queries the label mentions. */
function preloadNote(evaluation: Evaluation): string {
  const referenced = new Set(
    evaluation.steps.filter((s) => s.name === 'references' || s.name === 'eager_load').flatMap((s) => associationNames(s.args)),
  );
  const wheres = evaluation.steps
    .filter((s) => s.name === 'where')
    .flatMap((s) =>
      s.args
        .filter((a) => a.type === 'pair' && a.childForFieldName('value')?.type === 'hash')
        .map((a) => a.childForFieldName('key')?.text ?? ''),
    );
  for (const w of wheres) referenced.add(w);
  const preloaded = evaluation.steps
    .filter((s) => s.name === 'includes' || s.name === 'preload')
    .flatMap((s) => associationNames(s.args))
    .filter((n) => !referenced.has(n));
  return preloaded.length > 0 ? ` (+ preload ${[...new Set(preloaded)].join(', ')})` : '';
}

function insideScopeDefinition(node: Node): boolean {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (a.type === 'method' || a.type === 'singleton_method' || a.type === 'class') return false;
    if (isCall(a) && receiverOf(a) === null && (methodName(a) === 'scope' || methodName(a) === 'default_scope')) return true;
  }
  return false;
}

/** `pending = Order.where(…)` followed by `pending.each …` in the same method: the later chain reports the query. */
function consumedLater(top: Node): boolean {
  const assignment = top.parent;
  if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== top.id) return false;
  const left = assignment.childForFieldName('left');
  const scope = localScope(top);
  if (left === null || scope === undefined || (left.type !== 'identifier' && left.type !== 'instance_variable')) return false;
  const uses = descendantsOfType(scope, left.type).filter(
    (n) => n.text === left.text && n.startIndex > assignment.endIndex && within(n, scope),
  );
  return uses.some((use) => (isCall(use.parent) && receiverOf(use.parent)?.id === use.id) || use.parent?.type === 'in');
}

function emitEvaluation(
  scan: FileScan,
  context: ExtractContext,
  top: Node,
  evaluation: Evaluation,
  statements: string[],
  label: string,
): void {
  const confidence = evaluation.models.length > 0 && evaluation.models.every((m) => m.confidence === 'likely') ? 'likely' : 'guess';
  const last = evaluation.steps[evaluation.steps.length - 1];
  emitSite(
    scan,
    context,
    top,
    { origin: 'activerecord', sql: statements.join('; '), synthesized: true, confidence, label: compactLabel(label) },
    { inclusiveTransaction: last?.name === 'with_lock' },
  );
}

export function recognizeActiveRecord(scan: FileScan, context: ExtractContext, reader: ActiveRecordReader, top: Node): void {
  const evaluation = reader.evaluateChain(top);
  const label = `${chainText(top)}${preloadNote(evaluation)}`;
  if (evaluation.statements.length > 0) {
    emitEvaluation(scan, context, top, evaluation, evaluation.statements.map(synthesizeSql), label);
    return;
  }
  const value = evaluation.value;
  if (value?.kind !== 'relation' || !value.known || value.tentative || insideScopeDefinition(top) || consumedLater(top)) return;
  // A relation built and handed on (returned, assigned, rendered): it runs where it is used; report it here.
  emitEvaluation(scan, context, top, { ...evaluation, models: [value.model] }, [synthesizeSql(selectOf(value, reader.models))], label);
}

/** `touch` / `destroy` written without receiver in a model's instance method. */
export function recognizeImplicitCall(scan: FileScan, context: ExtractContext, reader: ActiveRecordReader, identifier: Node): void {
  const evaluation = reader.evaluateImplicitCall(identifier);
  if (evaluation.statements.length === 0) return;
  emitEvaluation(scan, context, identifier, evaluation, evaluation.statements.map(synthesizeSql), identifier.text);
}

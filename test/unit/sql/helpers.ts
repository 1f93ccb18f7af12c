/** Shared helpers for the SQL-layer tests: parse exactly one statement, format relations compactly. */
import assert from 'node:assert/strict';
import { parseSql } from '../../../src/core/sql/index.js';
import type { RelationRef, Statement } from '../../../src/core/statement.js';

const SHORT: Record<string, string> = {
  AccessShareLock: 'AS',
  RowShareLock: 'RS',
  RowExclusiveLock: 'RX',
  ShareUpdateExclusiveLock: 'SUE',
  ShareLock: 'S',
  ShareRowExclusiveLock: 'SRX',
  ExclusiveLock: 'X',
  AccessExclusiveLock: 'AX',
};

export function one(sql: string): Statement {
  const outcome = parseSql(sql);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  assert.equal(outcome.statements.length, 1, 'exactly one statement');
  return outcome.statements[0] as Statement;
}

/** `schema.name:MODE:role` plus `:only` for ONLY; the role is left out for plain reads to keep tables short. */
export function rel(r: RelationRef): string {
  const name = `${r.schema !== undefined ? `${r.schema}.` : ''}${r.name}`;
  const role = r.role === 'read' ? '' : `:${r.role}`;
  return `${name}:${SHORT[r.mode] ?? r.mode}${role}${r.inherit ? '' : ':only'}`;
}

export const rels = (s: Statement): string[] => s.relations.map(rel);

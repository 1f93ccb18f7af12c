/** Table-driven rule tests without a database: SQL-file scans or hand-built sites, a small in-memory catalog. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analyze/analyze.js';
import type { Catalog, CatalogRelation } from '../../src/core/catalog.js';
import { RULES, runRules, type MessageIdOf, type RuleId } from '../../src/core/rules/index.js';
import type { Finding } from '../../src/core/rules/types.js';
import { scanSqlText } from '../../src/core/scan/sql/index.js';
import type { FileScan, LoopInfo, QuerySite, SubtransactionSite, TransactionScope } from '../../src/core/scan/types.js';
import { buildServerProfile } from '../../src/core/server-profile.js';
import { relation } from './catalog-fixtures.js';

/** public.hot (20 indexes), public.t (1 index), public.child (2), public.u (4), public.ev (3 range partitions on k, 1 index each). */
export function fixtureCatalog(versionNum = 150018): Catalog {
  const rels: CatalogRelation[] = [];
  let oid = 20000;
  const table = (name: string, indexCount: number, extra: Partial<CatalogRelation> = {}): CatalogRelation => {
    const t = relation(oid++, name, 'table', extra);
    for (let i = 0; i < indexCount; i++) {
      const index = relation(oid++, `${name}_i${i}`, 'index');
      rels.push(index);
      t.indexes.push({
        oid: index.oid,
        qualifiedName: index.qualifiedName,
        valid: true,
        unique: i === 0,
        primary: i === 0,
        columns: [`c${i}`],
        predicate: undefined,
      });
    }
    rels.push(t);
    return t;
  };
  table('hot', 20);
  table('t', 1);
  table('child', 2);
  table('u', 4);
  const ev = table('ev', 1, { relkind: 'partitioned-table', partitioning: { strategy: 'range', keyColumns: ['k'] } });
  for (let p = 0; p < 3; p++) {
    const part = table(`ev_${p}`, 1, { partitionOf: ev.oid, partitionBound: `FOR VALUES FROM (${p * 10}) TO (${p * 10 + 10})` });
    ev.partitions.push(part.oid);
  }
  return {
    profile: buildServerProfile(versionNum >= 180000 ? '18.6' : '15.18', versionNum, 64, 'server'),
    database: 'app',
    searchPath: ['public'],
    relations: new Map(rels.map((r) => [r.oid, r])),
    byName: new Map(rels.map((r) => [`public.${r.name}`, r.oid])),
    loadedAt: 0,
  };
}

const range = (line: number, width = 10): QuerySite['range'] => ({ start: { line, character: 0 }, end: { line, character: width } });

export function loop(line: number, kind = 'for'): LoopInfo {
  return { range: { start: { line, character: 0 }, end: { line: line + 5, character: 0 } }, kind };
}

export function txn(line: number, kind = 'with session.begin()'): TransactionScope {
  return {
    id: `app.py#${line}:0`,
    range: { start: { line, character: 0 }, end: { line: line + 20, character: 0 } },
    kind,
    nested: false,
    parentId: undefined,
  };
}

/** A code site (as a language extractor would report it). */
export function site(line: number, sql: string, extra: Partial<QuerySite> = {}): QuerySite {
  return {
    file: 'app.py',
    language: 'python',
    range: range(line),
    origin: 'sqlalchemy',
    sql,
    synthesized: true,
    confidence: 'likely',
    transaction: undefined,
    loops: [],
    enclosingFunction: 'handler',
    label: sql.slice(0, 40),
    ...extra,
  };
}

export function codeScan(sites: QuerySite[], subtransactions: Array<Partial<SubtransactionSite> & { line: number }> = []): FileScan {
  return {
    file: 'app.py',
    language: 'python',
    sites,
    calls: [],
    problems: [],
    subtransactions: subtransactions.map((s) => ({
      file: 'app.py',
      language: 'python',
      range: range(s.line),
      kind: s.kind ?? 'session.begin_nested()',
      loops: s.loops ?? [],
      enclosingFunction: 'handler',
    })),
  };
}

export type Input = string | FileScan;

export function findings(input: Input, catalog: Catalog | undefined = fixtureCatalog()): Finding[] {
  const scan = typeof input === 'string' ? scanSqlText('migration.sql', input) : input;
  return runRules(analyze([scan], catalog));
}

export interface RuleCases<Id extends RuleId> {
  valid: Array<{ name: string; input: Input; catalog?: Catalog }>;
  invalid: Array<{
    name: string;
    input: Input;
    line: number;
    /** Which of the rule's messages (typed: a message the rule does not declare does not compile). */
    messageId: MessageIdOf<Id>;
    /** The rendered text, where a case is about the words (tables named, strength spelled). */
    message?: RegExp;
    catalog?: Catalog;
    related?: number;
    fix?: string;
  }>;
}

/** The registered rule with this id; throws for an id no rule has (a test of a misspelt id must fail, not pass empty). */
export function registeredRule(ruleId: string): (typeof RULES)[number] {
  const rule = RULES.find((r) => r.meta.id === ruleId);
  if (rule === undefined) throw new Error(`no rule "${ruleId}" is registered`);
  return rule;
}

/**
 * Registers one test per case: valid cases must not report `ruleId`, invalid ones must, at the given 1-based line,
 * with the given message id. The id is typed, and checked against the registry before any case runs.
 */
export function ruleTests<Id extends RuleId>(ruleId: Id, cases: RuleCases<Id>): void {
  const rule = registeredRule(ruleId);
  assert.ok(cases.invalid.length > 0, `${ruleId}: a rule test needs invalid cases, or its valid cases prove nothing`);
  const names = new Set<string>();
  for (const c of [...cases.valid, ...cases.invalid]) {
    assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
    names.add(c.name);
  }
  for (const c of cases.valid) {
    test(`${ruleId} valid: ${c.name}`, () => {
      assert.deepEqual(
        findings(c.input, c.catalog ?? fixtureCatalog())
          .filter((f) => f.ruleId === ruleId)
          .map((f) => f.message),
        [],
      );
    });
  }
  for (const c of cases.invalid) {
    test(`${ruleId} invalid: ${c.name}`, () => {
      const hits = findings(c.input, c.catalog ?? fixtureCatalog()).filter((f) => f.ruleId === ruleId);
      assert.equal(hits.length, 1, `expected one ${ruleId} finding, got ${hits.length}: ${hits.map((h) => h.message).join(' | ')}`);
      const hit = hits[0] as Finding;
      assert.equal(hit.range.start.line + 1, c.line);
      assert.ok(c.messageId in rule.messages, `${ruleId} declares no message ${c.messageId}`);
      assert.equal(hit.messageId, c.messageId);
      if (c.message !== undefined) assert.match(hit.message, c.message);
      if (c.related !== undefined) assert.equal(hit.related.length, c.related);
      if (c.fix !== undefined) assert.equal(hit.fix?.edits[0]?.newText, c.fix);
    });
  }
}

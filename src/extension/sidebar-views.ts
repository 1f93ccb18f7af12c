/**
 * The rows of the Lockscope side bar's views: the connection and its server profile, the last Lock Cost ranking,
 * the workspace's findings by rule, and its hottest transactions. Empty lists leave room for the welcome content.
 */
import * as vscode from 'vscode';
import type { Analysis } from '../core/analyze/analyze.js';
import { findingsByRule, hottestTransactions } from '../core/present/workspace-outline.js';
import type { Finding } from '../core/rules/types.js';
import type { WorkloadResult } from '../core/workload/workload-result.js';
import type { AnalysisService } from './analysis-service.js';
import type { ConnectionManager } from './connection.js';
import { leaf, locationLabel, oneLine, openAt } from './sidebar-items.js';
import { branch, type OutlineNode } from './sidebar-tree.js';

const TOP_STATEMENTS = 15;
const TOP_TRANSACTIONS = 20;
const fixed = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The connected server and its lock profile; nothing (the welcome content) while on the embedded database. */
export async function connectionRows(connections: ConnectionManager, analysis: AnalysisService): Promise<OutlineNode[]> {
  const described = connections.describe();
  if (described.embedded) return [];
  const catalog = analysis.currentCatalog ?? (await analysis.getCatalog());
  const head = new vscode.TreeItem(described.label);
  head.description = described.environment ?? '';
  head.iconPath = new vscode.ThemeIcon('database');
  head.contextValue = 'connection';
  head.tooltip = `Lockscope predicts against ${described.label}`;
  if (catalog === undefined || catalog.profile.source === 'embedded')
    return [
      branch(
        head,
        [leaf('catalog not loaded', 'see the Lockscope output', 'warning', { command: 'lockscope.showOutput', title: 'Show Output' })],
        true,
      ),
    ];
  const p = catalog.profile;
  const profile = { command: 'lockscope.showServerLockProfile', title: 'Show Server Lock Profile' };
  return [
    branch(
      head,
      [
        leaf(`PostgreSQL ${p.version}`, 'server', 'server', profile),
        leaf(
          `${p.fastPathSlots} fast-path slots`,
          p.fastPathGroups > 1 ? `${p.fastPathGroups} groups of 16` : 'per backend',
          'dashboard',
          profile,
        ),
        leaf(`max_locks_per_transaction ${p.maxLocksPerTransaction}`, '', 'settings', profile),
        leaf(`${catalog.relations.size} relations`, `catalog read ${new Date(catalog.loadedAt).toLocaleTimeString()}`, 'symbol-class', {
          command: 'lockscope.refreshCatalog',
          title: 'Refresh Catalog',
        }),
      ],
      true,
    ),
  ];
}

/** The last sampling's top statements: slow-path/s and locks per call, their code and the tables responsible. */
export function lockCostRows(result: WorkloadResult | undefined): OutlineNode[] {
  if (result === undefined) return [];
  const { ranking, interval } = result;
  const summary = leaf(
    `${fixed(ranking.totals.slowPathPerSecond)} slow-path/s`,
    `${fixed(ranking.totals.callsPerSecond)} calls/s over ${interval.seconds.toFixed(0)} s`,
    'pulse',
    { command: 'lockscope.showLockCost', title: 'Show Lock Cost' },
  );
  // BEGIN, COMMIT, SET…: called often, lock nothing; the panel lists them, the side bar keeps to what costs locks.
  const statements = ranking.statements
    .filter((s) => s.locksPerCall > 0)
    .slice(0, TOP_STATEMENTS)
    .map((s) => {
      const item = new vscode.TreeItem(oneLine(s.query, 60));
      item.description = `${fixed(s.slowPathPerSecond)} slow-path/s · ${fixed(s.locksPerCall)} locks/call · ${fixed(s.callsPerSecond)} calls/s`;
      item.tooltip = `${s.query}\n\n${fixed(s.callsPerSecond)} calls/s, ${fixed(s.locksPerCall)} locks and ${fixed(s.slowPathPerCall)} slow-path per call, ${s.meanExecMs.toFixed(2)} ms mean`;
      item.iconPath = new vscode.ThemeIcon(s.slowPathPerCall > 0 ? 'warning' : 'symbol-event');
      return branch(item, [
        ...s.sites.map((site) =>
          leaf(locationLabel(site.file, site.line), site.origin, 'go-to-file', openAt(site.file, site.line, site.character)),
        ),
        ...s.relations.map((r) =>
          leaf(
            r.relation,
            `${r.locks} locks (${r.indexes.length} indexes${r.partitions.length > 0 ? `, ${r.partitions.length} partitions` : ''}), ${r.slowPath} slow-path`,
            'table',
          ),
        ),
      ]);
    });
  return [summary, ...statements];
}

/** Analyze Workspace's findings, one branch per rule. */
export function findingRows(findings: readonly Finding[] | undefined): OutlineNode[] {
  if (findings === undefined) return [];
  return findingsByRule(findings).map((group) => {
    const item = new vscode.TreeItem(group.ruleId);
    item.description = `${group.findings.length}`;
    item.iconPath = new vscode.ThemeIcon(group.severity === 'error' ? 'error' : group.severity === 'warning' ? 'warning' : 'info');
    return branch(
      item,
      group.findings.map((f) =>
        leaf(
          oneLine(f.message, 90),
          locationLabel(f.file, f.range.start.line),
          'circle-small',
          openAt(f.file, f.range.start.line, f.range.start.character),
          f.message,
        ),
      ),
    );
  });
}

/** Analyze Workspace's transactions that take the most slow-path locks. */
export function transactionRows(analysis: Analysis | undefined): OutlineNode[] {
  if (analysis === undefined) return [];
  return hottestTransactions(analysis, TOP_TRANSACTIONS).map((t) => {
    const totals = t.plan?.totals;
    const item = new vscode.TreeItem(`${totals?.locks ?? 0} locks · ${totals?.slowpath ?? 0} slow-path`);
    item.description = `${t.scope.kind} · ${locationLabel(t.file, t.scope.range.start.line)}`;
    item.iconPath = new vscode.ThemeIcon((totals?.slowpath ?? 0) > 0 ? 'flame' : 'symbol-namespace');
    item.command = openAt(t.file, t.scope.range.start.line, t.scope.range.start.character);
    return branch(
      item,
      t.sites
        .filter((s) => s.via === undefined)
        .map((s) =>
          leaf(
            oneLine(s.site.sql, 70),
            `${s.plan?.totals.locks ?? '?'} locks`,
            'symbol-event',
            openAt(s.site.file, s.site.range.start.line, s.site.range.start.character),
          ),
        ),
    );
  });
}

/** The CLI's rendering of the lock target (the server the code will run on) and of the PostgreSQL 18 comparison. */
import type { Catalog } from '../core/catalog.js';
import type { LockPlan } from '../core/lock-plan.js';
import { compareWithPg18, upgradeSentence } from '../core/predict/retarget.js';
import type { ServerProfile } from '../core/server-profile.js';
import { parseMaxLocks, parseTargetMajor, TargetError, type LockTarget, type TargetSpec } from '../core/target.js';
import { UsageError } from './cli-error.js';
import { serverJson } from '../core/present/cli-json.js';

/** `--target` / `--max-locks` as a spec; a value outside what is supported is bad input (exit 2). */
export function targetSpecOf(target: string | undefined, maxLocks: string | undefined): TargetSpec {
  try {
    return { major: parseTargetMajor(target), maxLocksPerTransaction: parseMaxLocks(maxLocks) };
  } catch (error) {
    if (error instanceof TargetError)
      throw new UsageError(`--${target !== undefined && error.message.startsWith('target') ? 'target' : 'max-locks'}: ${error.message}`);
    throw error;
  }
}

/** The `target` object of the JSON contract: the budget the fast-path flags were computed for, and why that one. */
export function targetJsonOf(target: LockTarget): Record<string, unknown> {
  return {
    ...serverJson(target.profile),
    basis: target.basis,
    ...(target.oidCaveat !== undefined ? { note: target.oidCaveat } : {}),
  };
}

/** The `upgrade` object of a plan: its split on PostgreSQL 18, and the max_locks_per_transaction that clears it. */
export function upgradeJsonOf(plan: LockPlan, target: ServerProfile, catalog: Catalog): Record<string, unknown> {
  const { onPg18, raiseMaxLocksTo } = compareWithPg18(plan, target, catalog);
  const p = onPg18.profile;
  return {
    postgres18: {
      maxLocksPerTransaction: p.maxLocksPerTransaction,
      fastPathSlots: p.fastPathSlots,
      fastPathGroups: p.fastPathGroups,
      fastpath: onPg18.totals.fastpath,
      slowpath: onPg18.totals.slowpath,
    },
    raiseMaxLocksTo:
      raiseMaxLocksTo === undefined
        ? null
        : { maxLocksPerTransaction: raiseMaxLocksTo.maxLocksPerTransaction, slowpath: raiseMaxLocksTo.plan.totals.slowpath },
  };
}

/** "  upgrade: on PostgreSQL 18 (…): N slow-path; …", or nothing when PostgreSQL 18 changes nothing. */
export function upgradeLineOf(plan: LockPlan, target: ServerProfile, catalog: Catalog): string | undefined {
  if (plan.totals.slowpath === 0) return undefined;
  const sentence = upgradeSentence(plan, target, catalog);
  return sentence === undefined ? undefined : `  upgrade: ${sentence}`;
}

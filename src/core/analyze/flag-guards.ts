/**
 * Locks behind a flag parameter, seen from a call (`get_voucher(…, with_lock=False)`): a call passing false, or
 * nothing when the default is false, does not take the callee's guarded lock; passing its own flag on keeps it
 * guarded one level up; anything else (true, an expression Lockscope cannot read) takes it.
 */
import type { CallSite, FlagValue, SiteGuard } from '../scan/types.js';

export type GuardedThroughCall = { runs: false } | { runs: true; guard: SiteGuard | undefined };

function passedValue(guard: SiteGuard, call: CallSite): FlagValue | undefined {
  const flags = call.flags;
  if (flags !== undefined && Object.hasOwn(flags.keyword, guard.name)) return flags.keyword[guard.name];
  if (flags !== undefined && guard.index !== undefined && guard.index < flags.positional.length) return flags.positional[guard.index];
  return flags?.splat === true ? null : undefined;
}

/** Whether a callee's site guarded by `guard` runs at this call, and what it is guarded by there (the call's own if). */
export function guardThroughCall(guard: SiteGuard | undefined, call: CallSite): GuardedThroughCall {
  if (guard === undefined) return { runs: true, guard: call.guard };
  const value = passedValue(guard, call) ?? (guard.defaultValue === 'false' ? false : guard.defaultValue === 'true' ? true : null);
  if (value === false) return { runs: false };
  if (value === true || value === null) return { runs: true, guard: call.guard };
  return { runs: true, guard: value };
}

/**
 * Function summaries over the call graph: what a function does (its own sites plus everything its callees do, at
 * any depth, recursion-safe), carried to each call inside the caller's loops and transaction. Calls are resolved by
 * function name, or by class and method with the class's bases (`self.svc.set_state()` → `ToolService.set_state`).
 */
import type { CallSite, FileScan } from '../scan/types.js';
import { nearestDefinition } from '../scan/nearest-definition.js';

/** How summaries are keyed: `Class.method` for methods the extractor knows the class of, else the function name. */
export function functionKey(name: string | undefined, className: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return className === undefined ? name : `${className}.${name}`;
}

/** Carries one callee site to a call, or drops it (a table parameter the caller cannot name). */
export type CarryThrough<S> = (inner: S, call: CallSite) => S | undefined;

/** Summaries larger than this are cut: a generated or framework-sized call tree must not blow up the analysis. */
const MAX_SUMMARY_SITES = 400;

interface Defined<S> {
  sites: S[];
  calls: CallSite[];
}

const directoryOf = (file: string): string => file.slice(0, Math.max(0, file.replace(/\\/g, '/').lastIndexOf('/')));

/**
 * Whether a file may hold the call's callee: the caller's directory (a Go package), or a package named so (unless
 * `anyPackage`: an implementation of an interface found by its method's name).
 */
function inReach(call: CallSite, file: string, anyPackage: boolean): boolean {
  if (call.sameDirectory === true && directoryOf(file) !== directoryOf(call.file)) return false;
  if (!anyPackage && call.calleePackage !== undefined && directoryOf(file).split('/').at(-1) !== call.calleePackage) return false;
  return true;
}

export class CallGraph<S> {
  /** Function key → file → what that file's definition of it does directly. */
  private readonly definitions = new Map<string, Map<string, Defined<S>>>();
  /** Class name → its bases (union over files defining a class of that name). */
  private readonly bases = new Map<string, string[]>();
  /** Method name → the classes defining a method of that name (for calls on an untyped receiver, Go). */
  private readonly owners = new Map<string, Set<string>>();
  private readonly summaries = new Map<string, S[]>();
  private readonly inProgress = new Set<string>();

  constructor(
    scans: readonly FileScan[],
    sitesOf: (scan: FileScan) => S[],
    private readonly keyOf: (site: S) => string | undefined,
    private readonly carry: CarryThrough<S>,
  ) {
    for (const scan of scans) {
      for (const site of sitesOf(scan)) this.definition(this.keyOf(site), scan.file)?.sites.push(site);
      for (const call of scan.calls) this.definition(functionKey(call.enclosingFunction, call.enclosingClass), scan.file)?.calls.push(call);
      for (const cls of scan.classes ?? []) {
        this.bases.set(cls.name, [...new Set([...(this.bases.get(cls.name) ?? []), ...cls.bases])]);
        // A declared method that issues nothing is still the method a call reaches (and adds nothing to it).
        for (const method of cls.methods ?? []) this.definition(`${cls.name}.${method}`, scan.file);
      }
      // A transaction wrapper is a definition a call reaches even when it issues nothing itself.
      for (const wrapper of scan.transactionWrappers ?? []) this.definition(wrapper.key, scan.file);
    }
    for (const key of this.definitions.keys()) {
      const dot = key.lastIndexOf('.');
      if (dot <= 0) continue;
      const owners = this.owners.get(key.slice(dot + 1)) ?? new Set<string>();
      owners.add(key.slice(0, dot));
      this.owners.set(key.slice(dot + 1), owners);
    }
  }

  private definition(key: string | undefined, file: string): Defined<S> | undefined {
    if (key === undefined) return undefined;
    const files = this.definitions.get(key) ?? new Map<string, Defined<S>>();
    this.definitions.set(key, files);
    const entry = files.get(file) ?? { sites: [], calls: [] };
    files.set(file, entry);
    return entry;
  }

  /** The definition a call reaches: in the caller's file first, else the nearest other file that defines it. */
  private resolve(call: CallSite): { key: string; file: string } | undefined {
    const { keys, anyPackage } = this.calleeKeys(call);
    for (const key of keys) {
      const files = this.definitions.get(key);
      if (files === undefined) continue;
      const candidates = [...files.keys()].filter((file) => inReach(call, file, anyPackage));
      if (candidates.includes(call.file)) return { key, file: call.file };
      if (candidates.length === 0) continue;
      // Several apps in one tree may each define it: the nearest to the caller, or nothing when two are as near.
      const nearest = nearestDefinition(call.file, candidates);
      return nearest === undefined ? undefined : { key, file: nearest };
    }
    return undefined;
  }

  /**
   * The keys a call may reach, in order: the function; `Class.method` up the bases; or, on a receiver of unknown type
   * (or an interface the tree does not declare as a class), the one class in reach declaring the method.
   */
  private calleeKeys(call: CallSite): { keys: string[]; anyPackage: boolean } {
    const cls = call.calleeClass;
    if (cls !== undefined && (call.anyReceiver !== true || this.bases.has(cls)))
      return { keys: this.methodKeys(cls, call.callee), anyPackage: false };
    if (call.anyReceiver !== true) return { keys: [call.callee], anyPackage: false };
    // An interface of one package is implemented in any other: the package named at the call does not restrict it.
    const owners = [...(this.owners.get(call.callee) ?? [])].filter((owner) =>
      [...(this.definitions.get(`${owner}.${call.callee}`)?.keys() ?? [])].some((file) => inReach(call, file, true)),
    );
    // Two types with that method (two implementations of an interface): which one runs is not known statically.
    return { keys: owners.length === 1 ? [`${owners[0]}.${call.callee}`] : [], anyPackage: true };
  }

  /** `Class.method`, then the same method on each base class, breadth first (the order Python's MRO mostly follows). */
  private methodKeys(className: string, method: string): string[] {
    const keys: string[] = [];
    const queue = [className];
    const seen = new Set<string>();
    while (queue.length > 0 && seen.size < 32) {
      const cls = queue.shift() as string;
      if (seen.has(cls)) continue;
      seen.add(cls);
      keys.push(`${cls}.${method}`);
      queue.push(...(this.bases.get(cls) ?? []));
    }
    return keys;
  }

  /** Everything a function does: its own sites and, through each call, its callees' summaries (memoised). */
  summary(key: string, file: string): S[] {
    const id = `${file}\u0000${key}`;
    const known = this.summaries.get(id);
    if (known !== undefined) return known;
    const defined = this.definitions.get(key)?.get(file);
    if (defined === undefined) return [];
    // Recursion: a function already being summarised adds nothing new to itself.
    if (this.inProgress.has(id)) return defined.sites;
    this.inProgress.add(id);
    const out = [...defined.sites];
    for (const call of defined.calls) {
      for (const carried of this.throughCall(call)) {
        if (out.length >= MAX_SUMMARY_SITES) break;
        out.push(carried);
      }
    }
    this.inProgress.delete(id);
    this.summaries.set(id, out);
    return out;
  }

  /** A call's callee summary, each site carried to the call. Empty when the callee is unknown or the call recurses. */
  throughCall(call: CallSite): S[] {
    const target = this.resolve(call);
    if (target === undefined) return [];
    if (target.key === functionKey(call.enclosingFunction, call.enclosingClass) && target.file === call.file) return [];
    return this.summary(target.key, target.file)
      .map((inner) => this.carry(inner, call))
      .filter((s): s is S => s !== undefined);
  }

  /** The definition (summary key and file) a call reaches, if the scanned tree has one. */
  definitionOf(call: CallSite): { key: string; file: string } | undefined {
    return this.resolve(call);
  }

  /** Does this call reach a definition in the scanned tree? */
  resolves(call: CallSite): boolean {
    return this.resolve(call) !== undefined;
  }
}

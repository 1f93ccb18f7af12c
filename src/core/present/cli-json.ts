/**
 * The CLI's JSON contract for the server (docs/cli.md): the `server` object every `--json` output carries, and the
 * whole of `lockscope server --json`, which the Server Lock Profile view also renders. Core owns the contract; the
 * webview protocol reuses it, never the other way round.
 */
import type { ProfileSource, ServerProfile } from '../server-profile.js';

/** The `server` object of `estimate`, `measure`, `scan`, `workload` and `server --json`. */
export interface ServerJson {
  version: string;
  versionNum: number;
  fastPathSlots: number;
  fastPathGroups: number;
  maxLocksPerTransaction: number;
  source: ProfileSource;
}

export function serverJson(profile: ServerProfile): ServerJson {
  return {
    version: profile.version,
    versionNum: profile.versionNum,
    fastPathSlots: profile.fastPathSlots,
    fastPathGroups: profile.fastPathGroups,
    maxLocksPerTransaction: profile.maxLocksPerTransaction,
    source: profile.source,
  };
}

/** What the database layer reads for `lockscope server` (ServerLockProfile in src/db/server-info.ts has this shape). */
export interface ServerProfileSource {
  profile: ServerProfile;
  database: string;
  relationCount: number;
  /** Printable target, password removed. */
  target: string;
}

/** `lockscope server --json`. */
export interface ServerProfileJson {
  server: ServerJson;
  database: string;
  relationCount: number;
  /** Printable target, password removed. */
  target: string;
}

export function serverProfileJson(info: ServerProfileSource): ServerProfileJson {
  return { server: serverJson(info.profile), database: info.database, relationCount: info.relationCount, target: info.target };
}

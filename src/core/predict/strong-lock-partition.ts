/**
 * The FastPathStrongRelationLocks partition of a relation's lock tag (lock.c): a weak relation lock goes to the main
 * lock table, fast-path slots free or not, while any strong lock whose tag falls in the same of the 1,024 partitions is
 * held. The tag is the 16-byte LOCKTAG of SET_LOCKTAG_RELATION (database OID, relation OID, two zero fields, type
 * LOCKTAG_RELATION = 0, lock method DEFAULT_LOCKMETHOD = 1), hashed by the lock table's tag_hash (hash_bytes);
 * FastPathStrongLockHashPartition takes the hash modulo 1,024. The same in PostgreSQL 15 and 18.
 */
import { final, mix, type State } from './hash-bytes.js';

/** FAST_PATH_STRONG_LOCK_HASH_PARTITIONS (1 << FAST_PATH_STRONG_LOCK_HASH_BITS). */
export const STRONG_LOCK_PARTITIONS = 1024;

/** lookup3's start word for a 16-byte key (hash_bytes: 0x9e3779b9 + length + 3923095). */
const INIT_16 = (0x9e3779b9 + 16 + 3923095) >>> 0;
/** The tag's last four bytes as a little-endian word: locktag_field4 = 0, locktag_type = 0, locktag_lockmethodid = 1. */
const TAIL_WORD = 0x01000000;

const state: State = [0, 0, 0];

/**
 * hash_bytes of a relation's lock tag in `databaseOid` (0 for a shared relation): one 12-byte block (database OID,
 * relation OID, locktag_field3 = 0) mixed, then the 4-byte tail added to `a` before the final mix; the hash is `c`.
 * Written out for the one key length so that the estimate's per-lock cost stays a few integer operations.
 */
export function relationLockTagHash(databaseOid: number, relationOid: number): number {
  state[0] = (INIT_16 + (databaseOid >>> 0)) >>> 0;
  state[1] = (INIT_16 + (relationOid >>> 0)) >>> 0;
  state[2] = INIT_16;
  mix(state);
  state[0] = (state[0] + TAIL_WORD) >>> 0;
  final(state);
  return state[2];
}

/** The strong-lock partition of a relation's lock tag (FastPathStrongLockHashPartition). */
export function strongLockPartition(databaseOid: number, relationOid: number): number {
  return relationLockTagHash(databaseOid, relationOid) % STRONG_LOCK_PARTITIONS;
}

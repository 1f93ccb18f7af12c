/**
 * hash_bytes_extended and hash_bytes_uint32_extended (common/hashfn.c): Bob Jenkins' lookup3 with a 64-bit seed, over
 * a byte string (text, uuid, numeric digits) or one 32-bit word (integers, dates, enum OIDs), as PostgreSQL hashes
 * keys for hash partitioning. Words are read little-endian (the aligned and unaligned paths agree on little-endian
 * machines, which is what PostgreSQL runs on here).
 */

const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The three lookup3 state words, mutated in place by mix and final. */
export type State = [number, number, number];

export function mix(s: State): void {
  let [a, b, c] = s;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
}

export function final(s: State): void {
  let [a, b, c] = s;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  s[0] = a;
  s[1] = b;
  s[2] = c;
}

/** Little-endian word of up to four bytes starting at `at` (missing bytes are zero). */
function word(k: Uint8Array, at: number, count = 4): number {
  let w = 0;
  for (let i = 0; i < count; i++) w = (w + ((k[at + i] ?? 0) << (8 * i))) >>> 0;
  return w;
}

/** The lookup3 start state for a key of `length` bytes, with the seed hashed in as hash_bytes*_extended do. */
function seeded(length: number, seed: bigint): State {
  const init = (0x9e3779b9 + length + 3923095) >>> 0;
  const s: State = [init, init, init];
  if (seed !== 0n) {
    // The seed is hashed as a 12-byte chunk: its high word, its low word and four zero bytes.
    s[0] = (s[0] + Number((seed >> 32n) & 0xffffffffn)) >>> 0;
    s[1] = (s[1] + Number(seed & 0xffffffffn)) >>> 0;
    mix(s);
  }
  return s;
}

/** hash_bytes_uint32_extended: lookup3 on one 32-bit word (integers, dates, enum OIDs) with a 64-bit seed. */
export function hashUint32Extended(k: number, seed: bigint): bigint {
  const s = seeded(4, seed);
  s[0] = (s[0] + (k >>> 0)) >>> 0;
  final(s);
  return (BigInt(s[1]) << 32n) | BigInt(s[2]);
}

/** The 64-bit hash of `k` with `seed` (0 = unseeded), as an unsigned bigint. */
export function hashBytesExtended(k: Uint8Array, seed: bigint): bigint {
  const s = seeded(k.length, seed);
  let at = 0;
  let len = k.length;
  while (len >= 12) {
    s[0] = (s[0] + word(k, at)) >>> 0;
    s[1] = (s[1] + word(k, at + 4)) >>> 0;
    s[2] = (s[2] + word(k, at + 8)) >>> 0;
    mix(s);
    at += 12;
    len -= 12;
  }
  // The last 0–11 bytes; the lowest byte of c is reserved for the length, so c takes bytes 8–10 from bit 8 up.
  if (len > 8) s[2] = (s[2] + ((word(k, at + 8, len - 8) << 8) >>> 0)) >>> 0;
  if (len > 4) s[1] = (s[1] + word(k, at + 4, Math.min(4, len - 4))) >>> 0;
  if (len > 0) s[0] = (s[0] + word(k, at, Math.min(4, len))) >>> 0;
  final(s);
  return (BigInt(s[1]) << 32n) | BigInt(s[2]);
}

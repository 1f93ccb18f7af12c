/**
 * PostgreSQL's extended hash functions for the key types hashed as byte strings or OIDs: hashtextextended (text and
 * varchar under a deterministic collation: the string's UTF-8 bytes), hashbpcharextended (trailing blanks dropped),
 * uuid_hash_extended (the 16 bytes), hash_numeric_extended (base-10000 digits without leading and trailing zeros,
 * XOR the weight) and hashenumextended (the label's OID as a uint32).
 */
import { hashBytesExtended } from './hash-bytes.js';

const MASK64 = 0xffffffffffffffffn;

export function hashTextExtended(text: string, seed: bigint, blankPadded: boolean): bigint {
  const value = blankPadded ? text.replace(/ +$/, '') : text;
  return hashBytesExtended(new TextEncoder().encode(value), seed);
}

/** `hex`: the uuid's 32 hex digits. */
export function hashUuidExtended(hex: string, seed: bigint): bigint {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return hashBytesExtended(bytes, seed);
}

/** NUMERIC digits: base 10000, the first one of weight `weight` (10000^weight), as stored without leading zeros. */
function numericDigits(unscaled: bigint, scale: number): { digits: number[]; weight: number } {
  const text = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const frac = text.slice(text.length - scale);
  const wholeGroups = Math.ceil(whole.length / 4);
  const padded = whole.padStart(wholeGroups * 4, '0') + frac.padEnd(Math.ceil(frac.length / 4) * 4, '0');
  const digits: number[] = [];
  for (let i = 0; i < padded.length; i += 4) digits.push(Number(padded.slice(i, i + 4)));
  return { digits, weight: wholeGroups - 1 };
}

/**
 * hash_numeric_extended of the value `unscaled` × 10^-scale. The display scale is not hashed (2.50 and 2.5 are equal),
 * nor the sign.
 */
export function hashNumericExtended(unscaled: bigint, scale: number, seed: bigint): bigint {
  const { digits, weight: first } = numericDigits(unscaled, scale);
  let start = 0;
  let weight = first;
  while (start < digits.length && digits[start] === 0) {
    start++;
    weight--;
  }
  if (start === digits.length) return (seed - 1n) & MASK64;
  let end = digits.length;
  while (digits[end - 1] === 0) end--;
  const bytes = new Uint8Array((end - start) * 2);
  for (let i = start; i < end; i++) {
    const d = digits[i] ?? 0;
    bytes[(i - start) * 2] = d & 0xff;
    bytes[(i - start) * 2 + 1] = d >> 8;
  }
  return (hashBytesExtended(bytes, seed) ^ BigInt.asUintN(64, BigInt(weight))) & MASK64;
}

/**
 * Parse outcomes remembered by their exact text, least recently used first out: an editor re-analysing a document
 * after a keystroke parses only the statements whose text changed. Outcomes are shared, so callers treat them (and
 * their statements) as read-only; anything offset-dependent is copied by the caller, never edited in place.
 */
import type { ParseOutcome } from '../statement.js';

/** Bounds: a remembered statement holds its tree (a few KB), so entries and key characters are both capped. */
const MAX_ENTRIES = 8192;
const MAX_KEY_CHARS = 16 * 1024 * 1024;

export class ParseMemo {
  private readonly entries = new Map<string, ParseOutcome>();
  private keyChars = 0;
  /** Lookups answered and not answered since creation (tests and benches read them). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = MAX_ENTRIES,
    private readonly maxKeyChars = MAX_KEY_CHARS,
  ) {}

  get(text: string): ParseOutcome | undefined {
    const outcome = this.entries.get(text);
    if (outcome === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Map iteration order is insertion order: re-inserting makes it the most recently used.
    this.entries.delete(text);
    this.entries.set(text, outcome);
    return outcome;
  }

  set(text: string, outcome: ParseOutcome): void {
    if (text.length > this.maxKeyChars) return;
    if (this.entries.delete(text)) this.keyChars -= text.length;
    this.entries.set(text, outcome);
    this.keyChars += text.length;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.keyChars <= this.maxKeyChars) break;
      this.entries.delete(key);
      this.keyChars -= key.length;
    }
  }

  clear(): void {
    this.entries.clear();
    this.keyChars = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

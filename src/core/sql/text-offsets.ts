/** Conversions between UTF-8 byte offsets (what the Postgres parser reports) and JavaScript string indexes. */

export class Utf8Offsets {
  /** byteToIndex[b] = UTF-16 index of the character starting at byte b (filled for every byte). */
  private readonly byteToIndex: Uint32Array;

  constructor(readonly text: string) {
    const bytes = Buffer.byteLength(text, 'utf8');
    this.byteToIndex = new Uint32Array(bytes + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k++) this.byteToIndex[byte + k] = i;
      byte += width;
      if (code >= 0x10000) i++; // surrogate pair: two UTF-16 units, one code point
    }
    this.byteToIndex[bytes] = text.length;
  }

  toIndex(byteOffset: number): number {
    const clamped = Math.max(0, Math.min(byteOffset, this.byteToIndex.length - 1));
    return this.byteToIndex[clamped] ?? this.text.length;
  }
}

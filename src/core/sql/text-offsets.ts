/** Conversions between the positions the Postgres parser reports (UTF-8 bytes, code points) and JavaScript string indexes. */

function utf8Width(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Anything but printable ASCII, tab and line breaks: such text takes the byte table (always right, only slower). */
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;

/** Maps UTF-8 byte offsets of a text to UTF-16 indexes (what `String.slice` takes). */
export class Utf8Offsets {
  /**
   * byteToIndex[b] = UTF-16 index of the character that byte b belongs to; the last entry is text.length. Undefined
   * for ASCII text, where bytes and indexes coincide: most SQL, and the table would be most of a parse's garbage.
   */
  private readonly byteToIndex: Uint32Array | undefined;

  constructor(readonly text: string) {
    if (!NON_ASCII.test(text)) {
      this.byteToIndex = undefined;
      return;
    }
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      bytes += utf8Width(code);
      if (code >= 0x10000) i++;
    }
    this.byteToIndex = new Uint32Array(bytes + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      const width = utf8Width(code);
      this.byteToIndex.fill(i, byte, byte + width);
      byte += width;
      if (code >= 0x10000) i++; // a surrogate pair: two UTF-16 units, one code point
    }
    this.byteToIndex[bytes] = text.length;
  }

  get byteLength(): number {
    return this.byteToIndex === undefined ? this.text.length : this.byteToIndex.length - 1;
  }

  toIndex(byteOffset: number): number {
    const clamped = Math.max(0, Math.min(byteOffset, this.byteLength));
    return this.byteToIndex === undefined ? clamped : (this.byteToIndex[clamped] ?? this.text.length);
  }
}

/** UTF-16 index of the code point with 0-based position `codePoints` (Postgres counts characters, not units). */
export function codePointToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const code = text.codePointAt(index) ?? 0;
    index += code >= 0x10000 ? 2 : 1;
  }
  return Math.min(index, text.length);
}

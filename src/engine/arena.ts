/**
 * Append-only byte storage for a shard's rows in large blocks (few objects for the garbage
 * collector). A span's address, `block * 2^32 + offset`, never moves; `reset` reuses the blocks.
 */
export class ByteArena {
  /** Size of an ordinary block; a span larger than this gets a block of its own size. */
  static readonly BLOCK = 1 << 22;
  private readonly blocks: Buffer[] = [];
  /** Index of the block being written (-1 before the first). */
  private cur = -1;
  /** The block being written; spans are written at `pos` after `reserve`. */
  buf: Buffer = Buffer.alloc(0);
  pos = 0;

  /** Makes room for at least `n` bytes at `buf[pos..]`: the next block with room, or a new one. */
  reserve(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.pos = 0;
    while (++this.cur < this.blocks.length) {
      if (this.blocks[this.cur]!.length >= n) {
        this.buf = this.blocks[this.cur]!;
        return;
      }
    }
    this.buf = Buffer.allocUnsafe(Math.max(ByteArena.BLOCK, n));
    this.blocks.push(this.buf);
  }

  /** Forgets every span: the blocks are written again from the first. */
  reset(): void {
    this.cur = -1;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
  }

  /** Stores `text` as UTF-8 and returns its address; `lengthOf` is its byte length. */
  writeString(text: string): number {
    this.reserve(text.length * 3);
    const at = this.pos;
    this.lastLength = this.buf.write(text, at, 'utf8');
    this.pos += this.lastLength;
    return this.address(at);
  }

  /** Byte length of the span written by the last `writeString`. */
  lastLength = 0;

  /** The address of `offset` in the current block. */
  address(offset: number): number {
    return this.cur * 2 ** 32 + offset;
  }

  /** Copies the span at `address` of `length` bytes into `target` at `at`; returns the bytes copied. */
  copy(address: number, length: number, target: Buffer, at: number): number {
    const block = Math.floor(address / 2 ** 32);
    const offset = address - block * 2 ** 32;
    return copyBytes(this.blocks[block]!, offset, offset + length, target, at);
  }

  /** Bytes allocated (for memory reports). */
  get allocated(): number {
    let n = 0;
    for (const b of this.blocks) n += b.length;
    return n;
  }
}

/**
 * A Buffer with Node's unchecked codecs (`utf8Slice`, `latin1Slice`, …): what `toString` and
 * `write` call after checking arguments, called directly on the hottest lines.
 */
export type RawBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number): number;
};

/**
 * Copies `src[from..to)` into `dst` at `at` and returns the count: a plain loop for short spans
 * (a key, a date), where a native copy's fixed cost dominates; memcpy above 64 bytes.
 */
export function copyBytes(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  if (to - from > 64) {
    dst.set(src.subarray(from, to), at);
  } else {
    for (let k = from; k < to; k++) dst[at++] = src[k]!;
  }
  return to - from;
}

/**
 * `bytes` as little-endian 32-bit words, the last one padded with zeros: constant byte strings
 * (JSON keys) written with `writeWords`, four bytes per store instead of one.
 */
export function wordsOf(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(Math.ceil(bytes.length / 4));
  for (let k = 0; k < bytes.length; k++) words[k >> 2]! |= bytes[k]! << (8 * (k & 3));
  return words;
}

/** Stores `words` at `o` and returns `o + length`; up to three padding bytes land past that end, which the caller must have room for. */
export function writeWords(view: DataView, o: number, words: Int32Array, length: number): number {
  for (let k = 0; k < words.length; k++) view.setInt32(o + 4 * k, words[k]!, true);
  return o + length;
}

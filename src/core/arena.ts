/**
 * Append-only byte storage for the rows a shard keeps: large blocks instead of one string per
 * row, so a million kept rows are a few hundred blocks to the garbage collector, not a million
 * objects it must trace and move. A stored span is named by an address, `block * 2^32 + offset`
 * (exact in a double), and never moves.
 */
export class ByteArena {
  /** Size of an ordinary block; a span larger than this gets a block of its own size. */
  static readonly BLOCK = 1 << 22;
  private readonly blocks: Buffer[] = [];
  /** The block being written; spans are written at `pos` after `reserve`. */
  buf: Buffer = Buffer.alloc(0);
  pos = 0;

  /** Makes room for at least `n` bytes at `buf[pos..]`. */
  reserve(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.buf = Buffer.allocUnsafe(Math.max(ByteArena.BLOCK, n));
    this.blocks.push(this.buf);
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
    return (this.blocks.length - 1) * 2 ** 32 + offset;
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
 * Copies `src[from..to)` into `dst` at `at` and returns the count. A plain loop: for the short
 * spans of the data path (a key, a date, a record) it is several times faster than Buffer#copy,
 * whose argument checks and native call dominate below a hundred bytes or so; longer spans use
 * memcpy.
 */
export function copyBytes(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  if (to - from > 128) {
    dst.set(src.subarray(from, to), at);
  } else {
    for (let k = from; k < to; k++) dst[at++] = src[k]!;
  }
  return to - from;
}

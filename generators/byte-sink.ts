/**
 * An append-only UTF-8 byte buffer for one file's share of a chunk: lines are batched into short
 * strings that die young and copied into off-heap bytes, so the chunk's text never lives on the
 * JS heap as a rope of strings for the garbage collector to promote and mark.
 */

/** Characters gathered in a short-lived string before one `Buffer.write`. */
const BATCH_CHARS = 16_384;
/** Spare output buffers kept per sink. */
const MAX_SPARES = 2;

/** Growable UTF-8 buffer with batched writes and recycled output buffers. */
export class ByteSink {
  private buffer: Buffer;
  private length = 0;
  private pending = '';
  private readonly spares: ArrayBuffer[] = [];

  constructor(initialBytes = 1 << 20) {
    this.buffer = Buffer.from(new ArrayBuffer(initialBytes));
  }

  /** Appends `text` as UTF-8. */
  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= BATCH_CHARS) this.flush();
  }

  private flush(): void {
    const text = this.pending;
    this.pending = '';
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = this.length + text.length * 3;
    if (worst > this.buffer.length) this.grow(worst);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  private grow(atLeast: number): void {
    let size = this.buffer.length * 2;
    while (size < atLeast) size *= 2;
    const next = Buffer.from(new ArrayBuffer(size));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** Hands back an ArrayBuffer that an earlier `take` returned, once its bytes are written out. */
  give(spare: ArrayBuffer): void {
    if (this.spares.length < MAX_SPARES) this.spares.push(spare);
  }

  /**
   * The bytes written so far as a view from offset 0 of an ArrayBuffer that holds nothing else
   * (so it can be transferred), and empties the sink. The ArrayBuffer is a spare from `give` when
   * one is large enough: reused buffers keep big dead ArrayBuffers, and peak RSS, down.
   */
  take(): Uint8Array {
    this.flush();
    const index = this.spares.findIndex((spare) => spare.byteLength >= this.length);
    const target =
      index >= 0 ? (this.spares.splice(index, 1)[0] as ArrayBuffer) : new ArrayBuffer(Math.ceil(this.length * 1.25) + 64);
    const out = new Uint8Array(target, 0, this.length);
    out.set(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

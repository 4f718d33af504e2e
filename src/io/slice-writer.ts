import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { copyBytes } from '../engine/index.js';
import { onStorage } from './storage.js';

const SIZE = 1 << 18;

/**
 * Appends bytes to one slice file through a fixed buffer, copying at once (callers may reuse their
 * buffers); renamed into place on `close`. Storage failures are StorageErrors naming the slice.
 */
export class SliceWriter {
  private readonly buf = Buffer.allocUnsafe(SIZE);
  private used = 0;
  private readonly fd: number;
  private readonly tmp: string;
  records = 0;
  bytes = 0;

  constructor(private readonly path: string) {
    onStorage(path, () => mkdirSync(dirname(path), { recursive: true }));
    this.tmp = `${path}.tmp-${process.pid}`;
    this.fd = onStorage(path, () => openSync(this.tmp, 'w'));
  }

  /** Appends ASCII text (line numbers, commas, newlines). */
  ascii(text: string): void {
    if (this.used + text.length > SIZE) this.flush();
    this.used += this.buf.write(text, this.used, 'latin1');
  }

  /** Appends one record as `<line>,<src[start..end)>\n`, straight from the parser's buffer, allocating nothing. */
  record(line: number, src: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.used + length + 24 > SIZE) {
      this.flush();
      if (length + 24 > SIZE) {
        this.ascii(`${line},`);
        this.bytesOf(src.subarray(start, end));
        this.ascii('\n');
        this.records++;
        return;
      }
    }
    this.used = writeDigits(this.buf, this.used, line);
    this.buf[this.used++] = 44;
    this.used += copyBytes(src, start, end, this.buf, this.used);
    this.buf[this.used++] = 10;
    this.records++;
  }

  /** Appends bytes, copying them. */
  bytesOf(src: Buffer): void {
    if (src.length > SIZE - this.used) {
      this.flush();
      if (src.length > SIZE) {
        onStorage(this.path, () => writeAll(this.fd, src, src.length), src.length);
        this.bytes += src.length;
        return;
      }
    }
    src.copy(this.buf, this.used);
    this.used += src.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    onStorage(this.path, () => writeAll(this.fd, this.buf, this.used), this.used);
    this.bytes += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    onStorage(this.path, () => closeSync(this.fd));
    onStorage(this.path, () => renameSync(this.tmp, this.path));
  }

  /** Closes without publishing and removes the temporary file. */
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.tmp, { force: true });
  }
}

/** Writes `buf[0..n)` completely (a write may take fewer bytes than asked). */
function writeAll(fd: number, buf: Buffer, n: number): void {
  let done = 0;
  while (done < n) done += writeSync(fd, buf, done, n - done);
}

/** Writes the decimal digits of a non-negative integer at `at`; returns the end offset. */
function writeDigits(buf: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = n;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

import { isUtf8 } from 'node:buffer';

/**
 * Streaming UTF-8 validation that says where a file stops being UTF-8: Node's `isUtf8` per chunk,
 * a sequence cut by a chunk boundary carried over, a byte scan only when a chunk fails. Agrees
 * with a fatal `TextDecoder` on the whole input.
 */
export class Utf8Validator {
  /** Bytes of the input before the current chunk. */
  private offset = 0;
  /** The start of a multi-byte sequence cut by the previous chunk's end. */
  private carry: Buffer = Buffer.alloc(0);

  /** Checks the next chunk; returns the input offset of the first invalid byte, or -1. */
  push(chunk: Uint8Array): number {
    const base = this.offset;
    this.offset += chunk.length;
    let rest = chunk;
    let restAt = base;
    if (this.carry.length > 0) {
      const lead = this.carry[0]!;
      const need = sequenceLength(lead) - this.carry.length;
      if (chunk.length < need) {
        this.carry = Buffer.concat([this.carry, chunk]);
        const bad = firstInvalidUtf8(this.carry, false);
        return bad < 0 ? -1 : base - (this.carry.length - chunk.length) + bad;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, need)]);
      const carriedFrom = base - this.carry.length;
      this.carry = Buffer.alloc(0);
      if (!isUtf8(joined)) return carriedFrom + Math.max(0, firstInvalidUtf8(joined, true));
      rest = chunk.subarray(need);
      restAt = base + need;
    }
    const cut = incompleteTail(rest);
    const body = rest.subarray(0, cut);
    if (!isUtf8(body)) return restAt + Math.max(0, firstInvalidUtf8(body, true));
    if (cut < rest.length) this.carry = Buffer.from(rest.subarray(cut));
    return -1;
  }

  /** Ends the input; returns the offset of a sequence left unfinished at its end, or -1. */
  end(): number {
    return this.carry.length > 0 ? this.offset - this.carry.length : -1;
  }
}

/** Length of the sequence a lead byte starts (1 for ASCII and for bytes no sequence starts with). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/**
 * Where a sequence that the chunk's end may have cut starts (the chunk's length when none): a
 * valid lead byte among the last 3 bytes, followed only by continuation bytes, too few of them.
 */
function incompleteTail(b: Uint8Array): number {
  const len = b.length;
  for (let k = len - 1; k >= 0 && k >= len - 3; k--) {
    const c = b[k]!;
    if ((c & 0xc0) === 0x80) continue;
    return sequenceLength(c) > len - k ? k : len;
  }
  return len;
}

/**
 * The offset of the first byte that starts an invalid (or, when `complete`, unfinished) UTF-8
 * sequence, or -1 when there is none. Byte by byte: for error paths only.
 */
export function firstInvalidUtf8(b: Uint8Array, complete = true): number {
  const len = b.length;
  let i = 0;
  while (i < len) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c === 0xe0) (n = 2), (lo = 0xa0);
    else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) n = 2;
    else if (c === 0xed) (n = 2), (hi = 0x9f);
    else if (c === 0xf0) (n = 3), (lo = 0x90);
    else if (c >= 0xf1 && c <= 0xf3) n = 3;
    else if (c === 0xf4) (n = 3), (hi = 0x8f);
    else return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= len) return complete ? i : -1;
      const d = b[i + k]!;
      if (k === 1 ? d < lo || d > hi : (d & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
  }
  return -1;
}

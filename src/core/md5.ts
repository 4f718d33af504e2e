/**
 * A small MD5 over a UTF-8 string that returns only the first 32-bit word of the digest, read
 * big-endian, which is all shard routing needs. It exists because `createHash('md5')` per row
 * costs about 1.55 µs and this about 0.2 µs (see performance facts); `shard.test.ts` checks it
 * against node:crypto on random strings, so the routing result cannot drift.
 */

const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14,
  20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10,
  15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];
const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;
const SH = Int32Array.from(S);

const encoder = new TextEncoder();
let block = new Uint8Array(128);
const M = new Int32Array(16);

/** Writes the UTF-8 bytes of `s` into the scratch buffer; fast path for ASCII. */
function encode(s: string): number {
  const n = s.length;
  if (block.length < n * 3 + 72) block = new Uint8Array(n * 3 + 72);
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) {
      ascii = false;
      break;
    }
    block[i] = c;
  }
  if (ascii) return n;
  return encoder.encodeInto(s, block).written;
}

/** First four bytes of md5(UTF-8 of `s`) as an unsigned big-endian integer. */
export function md5Prefix32(s: string): number {
  return prefixOfBlock(encode(s));
}

/**
 * `md5Prefix32` of the bytes `buf[start..end)`, for routing a record by an id that is still
 * bytes in a parser's buffer: the same number as `md5Prefix32` of those bytes decoded as UTF-8.
 */
export function md5Prefix32Bytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (block.length < len + 72) block = new Uint8Array(len + 72);
  for (let k = 0; k < len; k++) block[k] = buf[start + k]!;
  return prefixOfBlock(len);
}

/** The md5 prefix of the first `len` bytes of the scratch buffer (which it pads in place). */
function prefixOfBlock(len: number): number {
  const total = (((len + 8) >> 6) + 1) << 6;
  block.fill(0, len, total);
  block[len] = 0x80;
  const bits = len * 8;
  block[total - 8] = bits & 0xff;
  block[total - 7] = (bits >>> 8) & 0xff;
  block[total - 6] = (bits >>> 16) & 0xff;
  block[total - 5] = (bits >>> 24) & 0xff;
  block[total - 4] = Math.floor(len / 2 ** 29) & 0xff;
  let a0 = 0x67452301 | 0;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476 | 0;
  for (let off = 0; off < total; off += 64) {
    for (let j = 0; j < 16; j++) {
      const p = off + j * 4;
      M[j] = block[p]! | (block[p + 1]! << 8) | (block[p + 2]! << 16) | (block[p + 3]! << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const x = (a + f + K[i]! + M[g]!) | 0;
      const sh = SH[i]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << sh) | (x >>> (32 - sh)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  // a0 holds the first four digest bytes little-endian; read them big-endian.
  return (
    (((a0 & 0xff) << 24) | (((a0 >>> 8) & 0xff) << 16) | (((a0 >>> 16) & 0xff) << 8) | ((a0 >>> 24) & 0xff)) >>> 0
  );
}

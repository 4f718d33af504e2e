/**
 * MD5 of a UTF-8 string returning only the first 32-bit word, big-endian: all shard routing
 * needs, far cheaper than `createHash('md5')` (docs/engine-notes.md).
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

/**
 * The common case, an id of at most 55 bytes (one block), written out round by round since every
 * row's id is hashed. Little-endian only; a big-endian machine uses the general loop.
 */
const ONE_BLOCK_BYTES = 55;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const one = new Uint8Array(64);
const words = new Int32Array(one.buffer);
/** Bytes 0..dirty of `one` may be non-zero (what the last call wrote); the rest of 0..55 are zero. */
let dirty = ONE_BLOCK_BYTES;

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
  const n = s.length;
  if (n <= ONE_BLOCK_BYTES && LITTLE_ENDIAN) {
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) break;
      one[k] = c;
    }
    if (k === n) return prefixOfOneBlock(n);
    // Not ASCII: bytes 0..k-1 of `one` were written all the same.
    if (k > dirty) dirty = k;
  }
  return prefixOfBlock(encode(s));
}

/**
 * `md5Prefix32` of the bytes `buf[start..end)`, for routing a record by an id that is still
 * bytes in a parser's buffer: the same number as `md5Prefix32` of those bytes decoded as UTF-8.
 */
export function md5Prefix32Bytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len <= ONE_BLOCK_BYTES && LITTLE_ENDIAN) {
    for (let k = 0; k < len; k++) one[k] = buf[start + k]!;
    return prefixOfOneBlock(len);
  }
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

/** md5 prefix of `one[0..len)`, len ≤ 55. */
function prefixOfOneBlock(len: number): number {
  one[len] = 0x80;
  for (let k = len + 1; k <= dirty; k++) one[k] = 0;
  dirty = len;
  words[14] = len * 8;
  words[15] = 0;
  const m0 = words[0]!, m1 = words[1]!, m2 = words[2]!, m3 = words[3]!, m4 = words[4]!, m5 = words[5]!, m6 = words[6]!, m7 = words[7]!;
  const m8 = words[8]!, m9 = words[9]!, m10 = words[10]!, m11 = words[11]!, m12 = words[12]!, m13 = words[13]!, m14 = words[14]!, m15 = words[15]!;
  let a = 0x67452301 | 0;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476 | 0;
  let x = 0;
  x = (a + ((b & c) | (~b & d)) + -680876936 + m0) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -389564586 + m1) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + 606105819 + m2) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -1044525330 + m3) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + -176418897 + m4) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + 1200080426 + m5) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -1473231341 + m6) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -45705983 + m7) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 1770035416 + m8) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -1958414417 + m9) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -42063 + m10) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + -1990404162 + m11) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + 1804603682 + m12) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + -40341101 + m13) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + -1502002290 + m14) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + 1236535329 + m15) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((d & b) | (~d & c)) + -165796510 + m1) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -1069501632 + m6) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + 643717713 + m11) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -373897302 + m0) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + -701558691 + m5) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + 38016083 + m10) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + -660478335 + m15) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -405537848 + m4) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + 568446438 + m9) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -1019803690 + m14) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + -187363961 + m3) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + 1163531501 + m8) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((d & b) | (~d & c)) + -1444681467 + m13) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((c & a) | (~c & b)) + -51403784 + m2) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((b & d) | (~b & a)) + 1735328473 + m7) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((a & c) | (~a & d)) + -1926607734 + m12) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + (b ^ c ^ d) + -378558 + m5) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -2022574463 + m8) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 1839030562 + m11) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -35309556 + m14) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + -1530992060 + m1) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + 1272893353 + m4) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + -155497632 + m7) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -1094730640 + m10) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + 681279174 + m13) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -358537222 + m0) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + -722521979 + m3) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + 76029189 + m6) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + -640364487 + m9) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + -421815835 + m12) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + 530742520 + m15) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + -995338651 + m2) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (c ^ (b | ~d)) + -198630844 + m0) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + 1126891415 + m7) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1416354905 + m14) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -57434055 + m5) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 1700485571 + m12) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -1894986606 + m3) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1051523 + m10) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -2054922799 + m1) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + 1873313359 + m8) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -30611744 + m15) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + -1560198380 + m6) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + 1309151649 + m13) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + -145523070 + m4) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + -1120210379 + m11) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + 718787259 + m2) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + -343485551 + m9) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;

  const a0 = (a + 0x67452301) | 0;
  return (((a0 & 0xff) << 24) | (((a0 >>> 8) & 0xff) << 16) | (((a0 >>> 16) & 0xff) << 8) | ((a0 >>> 24) & 0xff)) >>> 0;
}

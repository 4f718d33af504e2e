/**
 * Cell checks on bytes for the transcoder: dates and plain numbers validated, valued and written
 * without decoding. "Not sure" (false, -1) sends the caller to the general path.
 */
import { copyBytes } from './arena.js';
import { isCalendarDate } from '../core/schema.js';

function digitAt(buf: Buffer, k: number): number {
  const d = buf[k]! - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** YYYY-MM-DD, a real calendar date. */
export function isDateBytes(buf: Buffer, at: number): boolean {
  if (buf[at + 4] !== 0x2d || buf[at + 7] !== 0x2d) return false;
  let y = 0;
  for (let k = at; k < at + 4; k++) {
    const d = digitAt(buf, k);
    if (d < 0) return false;
    y = y * 10 + d;
  }
  const m1 = digitAt(buf, at + 5);
  const m2 = digitAt(buf, at + 6);
  const d1 = digitAt(buf, at + 8);
  const d2 = digitAt(buf, at + 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  return isCalendarDate(y, m1 * 10 + m2, d1 * 10 + d2);
}

/** The value of the number `writeNumber` wrote last (a register: no object per number). */
export const written = { number: 0 };

/** Powers of ten that are exact doubles, for the value of a decimal with up to 15 digits. */
const POW10 = Array.from({ length: 17 }, (_, k) => 10 ** k);

/**
 * Writes the number `buf[cs..ce)` as `String(Number(text))` would and sets `written.number`, when
 * the digits alone tell: no sign or exponent, no leading zero, at most one inner point (none when
 * `whole`), at most 15 digits, not below 1e-6. Returns the end written, or -1.
 */
export function writeNumber(buf: Buffer, cs: number, ce: number, whole: boolean, out: Buffer, o: number): number {
  if (ce - cs > 16) return -1;
  let dot = -1;
  let digits = 0;
  let v = 0;
  for (let k = cs; k < ce; k++) {
    const d = buf[k]! - 48;
    if (d >= 0 && d <= 9) {
      v = v * 10 + d;
      digits++;
    } else if (d === -2 && !whole && dot < 0 && k !== cs && k !== ce - 1) {
      dot = k;
    } else {
      return -1;
    }
  }
  if (digits > 15) return -1;
  const intEnd = dot < 0 ? ce : dot;
  if (buf[cs] === 48 && intEnd - cs > 1) return -1;
  if (dot < 0) {
    written.number = v;
    return o + copyBytes(buf, cs, ce, out, o);
  }
  written.number = v / POW10[ce - dot - 1]!;
  let last = ce;
  while (last > dot + 1 && buf[last - 1] === 48) last--;
  if (last === dot + 1) return o + copyBytes(buf, cs, dot, out, o);
  if (intEnd - cs === 1 && buf[cs] === 48) {
    // 0.000000x and smaller print in exponent form.
    let zeros = 0;
    while (buf[dot + 1 + zeros] === 48) zeros++;
    if (zeros >= 6) return -1;
  }
  return o + copyBytes(buf, cs, last, out, o);
}

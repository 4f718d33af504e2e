import { hash } from 'node:crypto';
import { ByteArena, copyBytes, wordsOf, writeWords } from './arena.js';
import { normalizeStatus, score } from '../core/enrich.js';
import type { Level } from '../core/enrich.js';
import { Line } from '../core/profile.js';
import type { ProfileLine } from '../core/profile.js';
import { SOURCE_INDEX, SOURCE_NAMES } from '../core/schema.js';
import type { FieldValue, SourceFields, SourceName } from '../core/schema.js';
import { Picks } from './picks.js';
import type { SourceRow } from './source-row.js';

/**
 * Row memory that outlives one Merger: each `fresh` Merger writes its rows into the blocks the
 * previous one used, instead of allocating new ones.
 */
export class MergerMemory {
  private readonly arena = new ByteArena();

  /** A Merger over this memory; the rows of any earlier one are dropped. */
  fresh(): Merger {
    this.arena.reset();
    return new Merger(this.arena);
  }

  /** Drops the rows held, keeping the blocks for the next `fresh`. Call once no profile refers to them. */
  release(): void {
    this.arena.reset();
  }
}

/** What merging counted besides the profiles themselves. */
export interface MergeCounts {
  /** Rows merged per source (every row accepted, including those a later row superseded). */
  readonly merged: Record<SourceName, number>;
  /** Rows superseded by a later row for the same customer in the same source. */
  readonly duplicates: Record<SourceName, number>;
  /** Customers present in some source but not in CRM. */
  readonly orphans: number;
}

export function zeroCounts(): Record<SourceName, number> {
  return { crm: 0, billing: 0, product: 0, support: 0 };
}


/** Normalised status texts by number (0 is '', the absent status); raw texts are cached. */
class Statuses {
  private readonly codes = new Map<string, number>([['', 0]]);
  private readonly raw = new Map<string, number>();
  readonly names: string[] = [''];

  code(raw: string | undefined): number {
    if (raw === undefined) return 0;
    let c = this.raw.get(raw);
    if (c === undefined) {
      const name = normalizeStatus(raw);
      c = this.codes.get(name);
      if (c === undefined) {
        c = this.names.length;
        this.names.push(name);
        this.codes.set(name, c);
      }
      this.raw.set(raw, c);
    }
    return c;
  }
}

/**
 * Groups rows by customer by the merge rule (merge-rule.ts), counting superseded rows as
 * `duplicates`. Columnar: per customer and source a span of `arena`, enrichment inputs in typed
 * arrays. Rows come as `SourceRow`s (`add`) or already encoded by the row reader (`addEncoded`).
 */
export class Merger {
  /** Customer number → id, in order of first appearance. */
  private readonly ids: string[] = [];
  /** Customer id → number for `ids[0..indexed)`, built only when order alone cannot tell a row's customer (see `store`). */
  private readonly index = new Map<string, number>();
  private indexed = 0;
  /** Whether every new id was larger than the one before (then `ids` is sorted). */
  private ascending = true;
  /** Per source: the customer number after the one its previous row went to. */
  private readonly cursor = [0, 0, 0, 0];
  private cap = 0;
  /** Per customer and source (4 per customer): arena address and byte length (0 = absent). */
  private addr = new Float64Array(0);
  private len = new Int32Array(0);
  /** Per customer: usage, nps, open tickets (NaN = absent) and payment, plan, stage codes. */
  private nums = new Float64Array(0);
  private strs = new Int32Array(0);
  private readonly statuses = new Statuses();
  private readonly picks = new Picks();
  /** Where `addEncoded` expects a row's fields JSON to have been written. */
  readonly arena: ByteArena;
  private readonly merged = [0, 0, 0, 0];
  private readonly duplicates = [0, 0, 0, 0];
  /** Customers without a CRM row, counted when profiles() starts. */
  private orphans: number | undefined;

  /** @param arena where rows are kept; pass one that was `reset` to reuse its memory. */
  constructor(arena: ByteArena = new ByteArena()) {
    this.arena = arena;
  }

  add(row: SourceRow): void {
    const address = this.arena.writeString(row.json);
    this.store(SOURCE_INDEX[row.source], row.customerId, address, this.arena.lastLength, this.picks.fromFields(row.pick));
  }

  /**
   * Takes a row whose fields JSON the caller wrote into `arena.buf` from `start` to `end` (after
   * `arena.reserve`), with its enrichment values in `picks`.
   */
  addEncoded(source: number, customerId: string, start: number, end: number, picks: Picks): void {
    this.arena.pos = end;
    this.store(source, customerId, this.arena.address(start), end - start, picks);
  }

  private store(s: number, customerId: string, address: number, length: number, p: Picks): void {
    const ids = this.ids;
    // Sources tend to list customers in the same order: try the customer after this source's previous
    // row first, and while ids ascend a larger id is new; either way no hash lookup.
    const next = this.cursor[s]!;
    let c: number | undefined;
    if (next < ids.length && ids[next] === customerId) c = next;
    else if (!(this.ascending && (ids.length === 0 || customerId > ids[ids.length - 1]!))) c = this.lookup(customerId);
    if (c === undefined) {
      c = ids.length;
      if (c === this.cap) this.grow();
      if (c > 0 && !(customerId > ids[c - 1]!)) this.ascending = false;
      ids.push(customerId);
    }
    this.cursor[s] = c + 1;
    const k = 4 * c + s;
    if (this.len[k] !== 0) this.duplicates[s]!++;
    this.addr[k] = address;
    this.len[k] = length;
    this.merged[s]!++;
    // A later row replaces the earlier row's values entirely, absent ones included.
    const n = 3 * c;
    if (s === 0) this.strs[n + 2] = this.statuses.code(p.stage);
    else if (s === 1) {
      this.strs[n] = this.statuses.code(p.payment);
      this.strs[n + 1] = this.statuses.code(p.plan);
    } else if (s === 2) this.nums[n] = p.usage;
    else {
      this.nums[n + 1] = p.nps;
      this.nums[n + 2] = p.open;
    }
  }

  /** The number of a customer seen before, or undefined. */
  private lookup(customerId: string): number | undefined {
    this.indexAll();
    return this.index.get(customerId);
  }

  /** Brings the index up to date with `ids`. */
  private indexAll(): void {
    const ids = this.ids;
    for (let k = this.indexed; k < ids.length; k++) this.index.set(ids[k]!, k);
    this.indexed = ids.length;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const addr = new Float64Array(4 * cap);
    addr.set(this.addr);
    const len = new Int32Array(4 * cap);
    len.set(this.len);
    const nums = new Float64Array(3 * cap).fill(NaN);
    nums.set(this.nums);
    const strs = new Int32Array(3 * cap);
    strs.set(this.strs);
    this.addr = addr;
    this.len = len;
    this.nums = nums;
    this.strs = strs;
    this.cap = cap;
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Profiles sorted by customer id (UTF-16 code unit order), each enriched and keyed. Lines are
   * assembled as bytes in pages of 1 MiB, one after another: a line stays valid (its page is not
   * reused) for as long as it is referenced.
   */
  *profiles(): Generator<ProfileLine> {
    // When ids arrived ascending they are already in order; otherwise they are sorted by the
    // default sort, which compares strings by UTF-16 code units: the order of compareIds.
    const ids = this.ascending ? this.ids : [...this.ids].sort();
    if (!this.ascending) this.indexAll();
    this.orphans = this.countOrphans();
    const names = this.statuses.names;
    const arena = this.arena;
    let page = Buffer.allocUnsafe(0);
    let view = new DataView(page.buffer, page.byteOffset, 0);
    let o = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const c = this.ascending ? i : this.index.get(id)!;
      let need = 3 * id.length + 16;
      for (let s = 0; s < 4; s++) need += this.len[4 * c + s]! + 16;
      need += need + 160;
      if (page.length - o < need) {
        page = Buffer.allocUnsafe(Math.max(PAGE_BYTES, need));
        view = new DataView(page.buffer, page.byteOffset, page.length);
        o = 0;
      }
      const start = o;
      o = writeWords(view, o, CUSTOMER_ID_KEY_WORDS, CUSTOMER_ID_KEY.length);
      const idStart = o;
      o = writePlainJsonString(page, o, id);
      if (o < 0) o = idStart + page.write(JSON.stringify(id), idStart, 'utf8');
      const idEnd = o;
      const from = o;
      for (let s = 0; s < 4; s++) {
        const length = this.len[4 * c + s]!;
        if (length === 0) continue;
        o = writeWords(view, o, SOURCE_KEY_WORDS[s]!, SOURCE_KEYS[s]!.length);
        o += arena.copy(this.addr[4 * c + s]!, length, page, o);
      }
      // The key hashes the sources as one JSON object: the bytes just written, with the comma
      // before the first source and the byte after the last one briefly standing in for braces.
      let digest: string;
      if (o === from) {
        digest = EMPTY_SOURCES_DIGEST;
      } else {
        page[from] = OPEN_BRACE;
        page[o] = CLOSE_BRACE;
        digest = hash('sha1', page.subarray(from, o + 1), 'hex');
        page[from] = COMMA;
      }
      const hex = digest.slice(0, 16);
      const n = 3 * c;
      const e = score(present(this.nums[n]!), present(this.nums[n + 1]!), present(this.nums[n + 2]!), names[this.strs[n]!]!, names[this.strs[n + 1]!]!, names[this.strs[n + 2]!]!);
      const tail = tailOf(e.health_score, e.churn_risk, e.expansion_potential);
      o = writeWords(view, o, tail.words, tail.length);
      // The key's JSON is the id's JSON with `:hex` before its closing quote.
      o += copyBytes(page, idStart, idEnd - 1, page, o);
      page[o++] = COLON;
      for (let k = 0; k < 16; k++) page[o++] = hex.charCodeAt(k);
      page[o++] = QUOTE;
      page[o++] = CLOSE_BRACE;
      yield new Line(id, `${id}:${hex}`, e.health_score, e.churn_risk, e.expansion_potential, page, start, o);
    }
  }

  private countOrphans(): number {
    let orphans = 0;
    for (let c = 0; c < this.ids.length; c++) if (this.len[4 * c] === 0) orphans++;
    return orphans;
  }

  counts(): MergeCounts {
    const orphans = this.orphans ?? this.countOrphans();
    const merged = zeroCounts();
    const duplicates = zeroCounts();
    SOURCE_NAMES.forEach((s, i) => {
      merged[s] = this.merged[i]!;
      duplicates[s] = this.duplicates[i]!;
    });
    return { merged, duplicates, orphans };
  }
}




const PAGE_BYTES = 1 << 20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CUSTOMER_ID_KEY = Buffer.from('{"customer_id":');
const CUSTOMER_ID_KEY_WORDS = wordsOf(CUSTOMER_ID_KEY);
/** `,"crm":` and the like, in SOURCE_NAMES order. */
const SOURCE_KEYS = SOURCE_NAMES.map((s) => Buffer.from(`,${JSON.stringify(s)}:`));
const SOURCE_KEY_WORDS = SOURCE_KEYS.map(wordsOf);

/**
 * Writes `text` as a JSON string at `o` when it is printable ASCII without `"` or `\` (the usual
 * id), without JSON.stringify. Returns the end, or -1 (nothing meant) otherwise.
 */
function writePlainJsonString(page: Buffer, o: number, text: string): number {
  page[o] = QUOTE;
  let k = o + 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 0x20 || ch > 0x7e || ch === QUOTE || ch === BACKSLASH) return -1;
    page[k++] = ch;
  }
  page[k++] = QUOTE;
  return k;
}
const EMPTY_SOURCES_DIGEST = hash('sha1', '{}', 'hex');

function present(v: number): number | undefined {
  return Number.isNaN(v) ? undefined : v;
}

/** `,"health_score":…,"idempotency_key":` for each of the 101 × 3 × 3 score combinations, made once each, as words. */
const TAILS = new Map<number, { readonly words: Int32Array; readonly length: number }>();
const LEVEL_NUMBER: Readonly<Record<Level, number>> = { LOW: 0, MEDIUM: 1, HIGH: 2 };

function tailOf(health: number, churn: Level, expansion: Level): { readonly words: Int32Array; readonly length: number } {
  const k = health * 9 + LEVEL_NUMBER[churn] * 3 + LEVEL_NUMBER[expansion];
  let tail = TAILS.get(k);
  if (tail === undefined) {
    const bytes = Buffer.from(`,"health_score":${health},"churn_risk":"${churn}","expansion_potential":"${expansion}","idempotency_key":`);
    tail = { words: wordsOf(bytes), length: bytes.length };
    TAILS.set(k, tail);
  }
  return tail;
}

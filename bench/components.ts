/**
 * Rates of the pipeline's pieces on their own, on a slice of the bench dataset held in memory (no
 * disk, no processes), to show where a run's time goes. The data path: split (what partition_source
 * does per record: find its bounds and id, `routeOnly`), route (md5), and a shard's work: read into
 * a Merger (parse, check and transcode each record into the arena, group by customer) and profile
 * lines (sort, enrich, idempotency key, JSON bytes). For comparison, the general path the fast
 * path falls back to: a full parse, parse + type into row objects (readRows), Merger.add of those
 * rows, and the object form of a profile (buildProfile) with its JSON. Measured with tinybench: a
 * few iterations of a whole batch each, one warm-up, errors thrown.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { CsvParser, Merger, readRowBatches, readRows, rowFields, shardOfUnchecked } from '../src/engine/index.js';
import type { CsvSink, SourceRow } from '../src/engine/index.js';
import { enrich } from '../src/core/enrich.js';
import type { MergedSources } from '../src/core/enrich.js';
import { buildProfile, profileJson } from '../src/core/profile.js';
import { SOURCE_FILES, SOURCE_NAMES } from '../src/core/schema.js';
import type { SourceFields, SourceName } from '../src/core/schema.js';
import { median } from './stats.js';

export interface ComponentRate {
  readonly component: string;
  /** What one item is: a CSV row, or a customer profile. */
  readonly unit: 'rows' | 'profiles';
  readonly items: number;
  readonly medianMs: number;
  readonly perSecond: number;
  /** Microseconds per item. */
  readonly usPerItem: number;
}

const CHUNK = 64 * 1024;

/** The first `maxBytes` of a file, cut after the last complete line. */
async function headOf(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    const slice = buf.subarray(0, bytesRead);
    if (bytesRead < maxBytes) return slice;
    const nl = slice.lastIndexOf(0x0a);
    return nl < 0 ? slice : slice.subarray(0, nl + 1);
  } finally {
    await fh.close();
  }
}

function* chunks(buf: Buffer): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += CHUNK) yield buf.subarray(i, Math.min(buf.length, i + CHUNK));
}

async function* asyncChunks(buf: Buffer): AsyncGenerator<Buffer> {
  yield* chunks(buf);
}

/** Parses every record, decoding every field. */
function parseAll(buf: Buffer): number {
  const parser = new CsvParser();
  let n = 0;
  const sink: CsvSink = {
    record: () => void n++,
    malformed: () => void n++,
  };
  for (const c of chunks(buf)) parser.push(c, sink);
  parser.end(sink);
  return n - 1; // header
}

/** Finds every record's bounds and id as the partition pass does (`routeOnly`, plain lines as positions). */
function splitAll(buf: Buffer): number {
  const parser = new CsvParser();
  let n = 0;
  const sink: CsvSink = {
    plain: () => void n++,
    record: () => {
      if (n++ === 0) parser.routeOnly(0);
    },
    malformed: () => void n++,
  };
  for (const c of chunks(buf)) parser.push(c, sink);
  parser.end(sink);
  return n - 1; // header
}

/** Reads every source into one Merger, the way a shard does. */
async function intoMerger(bufs: ReadonlyMap<SourceName, Buffer>): Promise<Merger> {
  const m = new Merger();
  for (const s of SOURCE_NAMES) for await (const _ of readRowBatches(asyncChunks(bufs.get(s)!), { file: s, source: s, into: m }));
  return m;
}

async function typedRows(source: SourceName, buf: Buffer, into?: SourceRow[]): Promise<number> {
  let n = 0;
  for await (const ev of readRows(asyncChunks(buf), { file: source, source })) {
    n++;
    if (ev.kind === 'row') into?.push(ev);
  }
  return n;
}

/**
 * Measures every component on up to `maxBytesPerFile` of each source file of `dataDir`.
 * `log` gets one line per component as it finishes.
 */
export async function componentRates(
  dataDir: string,
  options: { readonly maxBytesPerFile?: number; readonly iterations?: number; readonly log?: (line: string) => void } = {},
): Promise<ComponentRate[]> {
  const maxBytes = options.maxBytesPerFile ?? 6 * 2 ** 20;
  const bufs = new Map<SourceName, Buffer>();
  for (const s of SOURCE_NAMES) bufs.set(s, await headOf(join(dataDir, SOURCE_FILES[s]), maxBytes));
  const rows: SourceRow[] = [];
  for (const s of SOURCE_NAMES) await typedRows(s, bufs.get(s)!, rows);
  const ids = rows.map((r) => r.customerId);
  const slots = new Map<string, Record<string, SourceFields>>();
  for (const r of rows) {
    const slot = slots.get(r.customerId) ?? {};
    slot[r.source] = rowFields(r);
    slots.set(r.customerId, slot);
  }
  const merged = [...slots.entries()];
  const rowCount = rows.length;

  const bench = new Bench({ iterations: options.iterations ?? 3, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0, throws: true, retainSamples: true });
  const items: Record<string, { unit: 'rows' | 'profiles'; n: number }> = {};
  let sink = 0;
  const add = (name: string, unit: 'rows' | 'profiles', n: number, fn: () => unknown): void => {
    items[name] = { unit, n };
    bench.add(name, fn);
  };
  const filled = await intoMerger(bufs);
  add('split (routeOnly, plain lines)', 'rows', rowCount, () => {
    for (const s of SOURCE_NAMES) sink += splitAll(bufs.get(s)!);
  });
  add('route (shardOf, md5)', 'rows', ids.length, () => {
    for (const id of ids) sink += shardOfUnchecked(id, 10);
  });
  add('read into Merger (fast path)', 'rows', rowCount, async () => {
    sink += (await intoMerger(bufs)).size;
  });
  add('profile lines (Merger)', 'profiles', filled.size, () => {
    for (const p of filled.profiles()) sink += p.end - p.start;
  });
  add('general: parse all fields', 'rows', rowCount, () => {
    for (const s of SOURCE_NAMES) sink += parseAll(bufs.get(s)!);
  });
  add('general: parse + type', 'rows', rowCount, async () => {
    for (const s of SOURCE_NAMES) sink += await typedRows(s, bufs.get(s)!);
  });
  add('general: Merger.add', 'rows', rowCount, () => {
    const m = new Merger();
    for (const r of rows) m.add(r);
    sink += m.size;
  });
  add('enrich', 'profiles', merged.length, () => {
    for (const [, s] of merged) sink += enrich(s as MergedSources).health_score;
  });
  add('general: buildProfile + JSON', 'profiles', merged.length, () => {
    for (const [id, s] of merged) sink += profileJson(buildProfile(id, s as MergedSources)).length;
  });
  bench.addEventListener('cycle', (ev) => {
    const t = ev.task;
    if (t === undefined || options.log === undefined) return;
    const r = t.result;
    if (r.state === 'completed') {
      const it = items[t.name]!;
      options.log(`  ${t.name.padEnd(30)} ${Math.round(it.n / (r.latency.p50 / 1000)).toLocaleString('en-US').padStart(12)} ${it.unit}/s`);
    }
  });
  await bench.run();
  if (sink === -1) options.log?.('');
  return bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`component ${t.name} did not complete (${r.state})`);
    const it = items[t.name]!;
    const samples = r.latency.samples ?? [r.latency.p50];
    const ms = median(samples);
    return { component: t.name, unit: it.unit, items: it.n, medianMs: ms, perSecond: it.n / (ms / 1000), usPerItem: (ms * 1000) / it.n };
  });
}

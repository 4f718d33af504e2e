/**
 * The store suite's arithmetic and table, pure: per case (data path × shard count) the median
 * wall time, its ratio to scan at the same shard count and to the same path's one-shard run
 * (paired by round), and the store traffic of a run (medians over runs) as bytes and as multiples
 * of the input's size.
 */
import { REQUEST_KINDS, totalGet, totalPut, totalRequests } from './store-traffic.js';
import type { Traffic } from './store-traffic.js';
import { formatMarkdown, formatTable, median, pairedRatio } from './stats.js';
import type { RunSample } from './stats.js';

export type DataPath = 'scan' | 'partition';

/** One measured run of a case. */
export interface StoreSample extends RunSample {
  readonly round: number;
  readonly traffic: Traffic;
}

export interface StoreCase {
  readonly path: DataPath;
  readonly shards: number;
  readonly samples: readonly StoreSample[];
}

export interface StoreSummary {
  readonly path: DataPath;
  readonly shards: number;
  readonly runs: number;
  readonly wallMedianMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  /** Wall time ÷ scan's at the same shard count, paired by round (1 for scan itself). */
  readonly xScan: number | null;
  /** The same path's one-shard wall time ÷ this one's, paired by round. */
  readonly speedup: number | null;
  /** Medians over the runs, in bytes. */
  readonly inputGetBytes: number;
  readonly spillGetBytes: number;
  readonly outputGetBytes: number;
  readonly getBytes: number;
  readonly putBytes: number;
  /** Input GET bytes ÷ the input's size: how many times each input byte was read. */
  readonly inputReads: number;
  /** All GET bytes ÷ the input's size. */
  readonly getPerInput: number;
  /** Requests by kind and in all (medians). */
  readonly requests: Readonly<Record<string, number>>;
  readonly requestsTotal: number;
}

const med = (samples: readonly StoreSample[], f: (s: StoreSample) => number): number => median(samples.map(f));

/** Summarises every case that ran at least once; `inputBytes` is the size of the four sources. */
export function summarizeStore(cases: readonly StoreCase[], inputBytes: number): StoreSummary[] {
  const find = (path: DataPath, shards: number): StoreCase | undefined => cases.find((c) => c.path === path && c.shards === shards);
  const wall = (s: RunSample): number => s.wallMs;
  return cases
    .filter((c) => c.samples.length > 0)
    .map((c) => {
      const scan = find('scan', c.shards);
      const one = find(c.path, 1);
      const getBytes = med(c.samples, (s) => totalGet(s.traffic));
      const inputGetBytes = med(c.samples, (s) => s.traffic.getBytes.input);
      return {
        path: c.path,
        shards: c.shards,
        runs: c.samples.length,
        wallMedianMs: med(c.samples, wall),
        wallMinMs: Math.min(...c.samples.map(wall)),
        wallMaxMs: Math.max(...c.samples.map(wall)),
        xScan: scan === undefined ? null : pairedRatio(c.samples, scan.samples, wall),
        speedup: one === undefined ? null : pairedRatio(one.samples, c.samples, wall),
        inputGetBytes,
        spillGetBytes: med(c.samples, (s) => s.traffic.getBytes.spill),
        outputGetBytes: med(c.samples, (s) => s.traffic.getBytes.output),
        getBytes,
        putBytes: med(c.samples, (s) => totalPut(s.traffic)),
        inputReads: inputBytes > 0 ? inputGetBytes / inputBytes : 0,
        getPerInput: inputBytes > 0 ? getBytes / inputBytes : 0,
        requests: Object.fromEntries(REQUEST_KINDS.map((k) => [k, med(c.samples, (s) => s.traffic.requests[k])])),
        requestsTotal: med(c.samples, (s) => totalRequests(s.traffic)),
      };
    })
    .sort((a, b) => a.shards - b.shards || (a.path === b.path ? 0 : a.path === 'scan' ? -1 : 1));
}

export const STORE_HEADERS = [
  'shards',
  'data path',
  'runs',
  'wall s',
  'min–max s',
  '× scan',
  'vs 1 shard',
  'input read MiB',
  'input read ×',
  'slices read MiB',
  'all GET ÷ input',
  'written MiB',
  'requests GET/PUT/HEAD/LIST/other',
] as const;

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const x = (v: number | null): string => (v === null ? '–' : `${v.toFixed(2)}x`);

/** One table row per summary, in STORE_HEADERS order. */
export function storeRows(summaries: readonly StoreSummary[]): string[][] {
  return summaries.map((s) => {
    const r = s.requests;
    const put = (r['put'] ?? 0) + (r['put-part'] ?? 0) + (r['multipart'] ?? 0);
    const other = (r['delete'] ?? 0) + (r['other'] ?? 0);
    return [
      String(s.shards),
      s.path,
      String(s.runs),
      (s.wallMedianMs / 1000).toFixed(2),
      `${(s.wallMinMs / 1000).toFixed(2)}–${(s.wallMaxMs / 1000).toFixed(2)}`,
      x(s.xScan),
      x(s.speedup),
      mib(s.inputGetBytes),
      s.inputReads.toFixed(2),
      mib(s.spillGetBytes),
      s.getPerInput.toFixed(2),
      mib(s.putBytes),
      `${r['get'] ?? 0}/${put}/${r['head'] ?? 0}/${r['list'] ?? 0}/${other}`,
    ];
  });
}

/** The table as aligned text (stdout). */
export const storeTable = (summaries: readonly StoreSummary[]): string => formatTable(STORE_HEADERS, storeRows(summaries));
/** The table as GitHub markdown (bench/results, docs). */
export const storeMarkdown = (summaries: readonly StoreSummary[]): string => formatMarkdown(STORE_HEADERS, storeRows(summaries));

import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TooManyRejectsError } from '../../core/errors.js';
import type { FirstReject } from '../../core/errors.js';
import { SOURCE_NAMES } from '../../core/schema.js';
import type { SourceName } from '../../core/schema.js';
import { openAtomic } from '../../io/atomic.js';
import type { AtomicWriter } from '../../io/atomic.js';
import type { RunResult } from '../contracts.js';
import { openOutArea } from '../../io/out-area.js';
import type { OutArea } from '../../io/out-area.js';

/**
 * The run's rejects report `out_dir/rejects.jsonl`: every rejected row as one JSON line
 * (`source`, `file`, `line`, `field` or null, `reason`, `raw`), ordered by source then line.
 * JSON lines so no raw cell runs as a spreadsheet formula. Built by a streaming k-way merge of
 * the shards' reject files, at most FAN_IN open at once.
 */
export const REJECTS_REPORT_FILE = 'rejects.jsonl';

/** Files merged at once; more shard files are merged in rounds through temporary files. */
export const FAN_IN = 32;

export interface RejectsReport {
  /** Relative to out_dir. */
  readonly file: string;
  readonly rows: number;
  readonly by_source: Record<SourceName, number>;
  /** sha256 of the report, hex. */
  readonly checksum: string;
  /** Its first entry (the first rejected row in source, line order), when there is one. */
  readonly first?: FirstReject;
}

const RANK: Readonly<Record<string, number>> = Object.fromEntries(SOURCE_NAMES.map((s, i) => [s, i]));

interface Head {
  readonly rank: number;
  readonly line: number;
  readonly text: string;
  readonly source: SourceName;
}

/** One sorted input: its lines, parsed just enough to order them. */
class SortedInput {
  private readonly lines: AsyncIterator<string>;
  head: Head | undefined;
  private lineNo = 0;

  constructor(private readonly path: string) {
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    this.lines = rl[Symbol.asyncIterator]();
  }

  /** Moves to the next entry; false at the end. Throws on a line that is not a reject entry. */
  async next(): Promise<boolean> {
    for (;;) {
      const r = await this.lines.next();
      if (r.done === true) {
        this.head = undefined;
        return false;
      }
      this.lineNo++;
      const text = r.value;
      if (text === '') continue;
      const entry = parseEntry(text, this.path, this.lineNo);
      const prev = this.head;
      if (prev !== undefined && (entry.rank < prev.rank || (entry.rank === prev.rank && entry.line < prev.line))) {
        throw new Error(`${this.path}:${this.lineNo}: reject entries are not in (source, line) order`);
      }
      this.head = entry;
      return true;
    }
  }

  async close(): Promise<void> {
    await this.lines.return?.();
  }
}

function parseEntry(text: string, path: string, lineNo: number): Head {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw new Error(`${path}:${lineNo}: not a JSON reject entry`);
  }
  const source = (o as { source?: unknown }).source;
  const line = (o as { line?: unknown }).line;
  if (typeof source !== 'string' || RANK[source] === undefined || typeof line !== 'number' || !Number.isInteger(line)) {
    throw new Error(`${path}:${lineNo}: a reject entry needs a known source and a whole line number`);
  }
  return { rank: RANK[source]!, line, text, source: source as SourceName };
}

/**
 * Merges reject files, each in (source, line) order, into `out` in that order, counting entries
 * per source; resolves with the text of the first entry written.
 */
export async function mergeRejectFiles(paths: readonly string[], out: AtomicWriter, counts: Record<SourceName, number>): Promise<string | undefined> {
  const inputs = paths.map((p) => new SortedInput(p));
  let first: string | undefined;
  try {
    const live: SortedInput[] = [];
    for (const input of inputs) if (await input.next()) live.push(input);
    while (live.length > 0) {
      let best = 0;
      for (let k = 1; k < live.length; k++) {
        const a = live[k]!.head!;
        const b = live[best]!.head!;
        if (a.rank < b.rank || (a.rank === b.rank && a.line < b.line)) best = k;
      }
      const input = live[best]!;
      const head = input.head!;
      counts[head.source]++;
      first ??= head.text;
      await out.write(`${head.text}\n`);
      if (!(await input.next())) live.splice(best, 1);
    }
    return first;
  } finally {
    await Promise.all(inputs.map((i) => i.close()));
  }
}

/**
 * Writes `out_dir/rejects.jsonl` from the shard reject files, atomically and even when empty (an
 * older report must not pass for this run's); returns entries per source.
 */
export async function writeRejectsReport(outDir: string, shardFiles: readonly string[]): Promise<RejectsReport> {
  let paths = shardFiles.map((f) => join(outDir, f));
  const temps: string[] = [];
  const tag = randomBytes(4).toString('hex');
  try {
    // Rounds of FAN_IN-way merges until one merge can take every file.
    for (let round = 0; paths.length > FAN_IN; round++) {
      const next: string[] = [];
      for (let g = 0; g < paths.length; g += FAN_IN) {
        const tmp = join(outDir, 'rejects', `.merge-${tag}-${round}-${g / FAN_IN}.jsonl`);
        const w = await openAtomic(tmp);
        try {
          await mergeRejectFiles(paths.slice(g, g + FAN_IN), w, emptyCounts());
          await w.commit();
        } catch (err) {
          await w.abort();
          throw err;
        }
        temps.push(tmp);
        next.push(tmp);
      }
      paths = next;
    }
    const counts = emptyCounts();
    const out = await openAtomic(join(outDir, REJECTS_REPORT_FILE));
    let first: string | undefined;
    try {
      first = await mergeRejectFiles(paths, out, counts);
    } catch (err) {
      await out.abort();
      throw err;
    }
    const { checksum } = await out.commit();
    const rows = SOURCE_NAMES.reduce((n, s) => n + counts[s], 0);
    return { file: REJECTS_REPORT_FILE, rows, by_source: counts, checksum, ...(first !== undefined ? { first: firstReject(first) } : {}) };
  } finally {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
  }
}

/**
 * The orchestrator's last step: writes the rejects report, checks it holds exactly the rejects the
 * shards counted, then enforces `max_rejects` naming the report. Store out_dirs stage and publish it.
 */
export async function reportRejects(result: RunResult, maxRejects: number): Promise<RunResult> {
  const area = await openOutArea(result.out_dir);
  try {
    return await reportRejectsIn(area, result, maxRejects);
  } finally {
    await area.close();
  }
}

async function reportRejectsIn(area: OutArea, result: RunResult, maxRejects: number): Promise<RunResult> {
  await area.pull(result.rejects_files);
  const report = await writeRejectsReport(area.dir, result.rejects_files);
  await area.publish([report.file]);
  for (const s of SOURCE_NAMES) {
    if (report.by_source[s] !== result.sources[s].rejected) {
      throw new Error(
        `rejects report ${area.locate(report.file)} holds ${report.by_source[s]} ${s} row(s) but the shards counted ${result.sources[s].rejected}`,
      );
    }
  }
  const { elapsed_ms, ...rest } = result;
  const withReport: RunResult = { ...rest, rejects_report: report.file, elapsed_ms };
  if (withReport.rejected > maxRejects && report.first !== undefined) {
    const sources = Object.fromEntries(SOURCE_NAMES.map((s) => [s, { read: result.sources[s].read, merged: result.sources[s].merged, rejected: result.sources[s].rejected }]));
    throw new TooManyRejectsError(withReport.rejected, maxRejects, area.locate(report.file), report.first, { profiles_generated: result.profiles_generated, sources });
  }
  return withReport;
}

/** The fields of a report entry that say where and why. */
function firstReject(text: string): FirstReject {
  const e = JSON.parse(text) as { file?: unknown; line?: unknown; field?: unknown; reason?: unknown };
  return { file: String(e.file), line: Number(e.line), field: typeof e.field === 'string' ? e.field : null, reason: String(e.reason) };
}

function emptyCounts(): Record<SourceName, number> {
  return { crm: 0, billing: 0, product: 0, support: 0 };
}

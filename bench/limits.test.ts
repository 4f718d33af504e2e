import { describe, expect, it } from 'vitest';
import { estimateNeed, fitVerdict, outOfRoom, sizeBytes } from './limits.js';

const GiB = 2 ** 30;
const opts = { concurrency: 2, duckdbMemoryLimit: '6GiB' };

describe('bench limits', () => {
  it('reads DuckDB sizes', () => {
    expect(sizeBytes('6GiB')).toBe(6 * GiB);
    expect(sizeBytes('4000MB')).toBe(4e9);
    expect(() => sizeBytes('six')).toThrow(/not a size such as 6GiB or 4000MB: "six"/);
  });

  it('a case fits when its estimated memory and disk are below what is free, and says which one is short otherwise', () => {
    const room = { freeMemBytes: 20 * GiB, freeDiskBytes: 70 * GiB };
    for (const kind of ['duckdb', 'duckdb-profiles', 'local'] as const) expect(fitVerdict(estimateNeed(kind, 10_000_000, opts), room)).toBeUndefined();
    // DuckDB's aggregate query holds about 1 KB per customer in memory: 100M customers is ~93 GiB.
    expect(fitVerdict(estimateNeed('duckdb', 100_000_000, opts), room)).toMatch(/^did not fit: needs about 93\.4 GiB of memory, 20\.0 GiB free$/);
    // The pipeline streams: its memory does not grow with the data, its disk does.
    expect(estimateNeed('local', 100_000_000, opts).memBytes).toBe(estimateNeed('local', 100_000, opts).memBytes);
    expect(fitVerdict(estimateNeed('local', 100_000_000, opts), room)).toMatch(/^did not fit: needs about 116\.4 GiB of disk, 70\.0 GiB free$/);
    // DuckDB profiles is held to its memory limit, so only the disk can be short.
    expect(estimateNeed('duckdb-profiles', 100_000_000, opts).memBytes).toBeLessThan(7 * GiB);
    const both = fitVerdict({ memBytes: 30 * GiB, diskBytes: 80 * GiB }, room);
    expect(both).toBe('did not fit: needs about 30.0 GiB of memory, 20.0 GiB free; needs about 80.0 GiB of disk, 70.0 GiB free');
  });

  it('reads failures that mean "did not fit" and leaves every other failure a failure', () => {
    expect(outOfRoom(new Error('bench duckdb-profiles run failed: Error: Out of Memory Error: failed to allocate data of size 256.0 MiB (5.9 GiB/6.0 GiB used)'))).toMatch(/^did not fit: out of memory \(.*Out of Memory Error/);
    expect(outOfRoom(new Error("bench pipeline run failed: ENOSPC: no space left on device, write '/tmp/x'"))).toMatch(/^did not fit: disk full \(.*ENOSPC/);
    expect(outOfRoom(new Error('bench pipeline run failed: exited with signal SIGKILL before reporting'))).toMatch(/^did not fit: killed by SIGKILL/);
    expect(outOfRoom(new Error('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'))).toMatch(/^did not fit: out of memory/);
    expect(outOfRoom(new Error('local 4 shards disagrees with DuckDB: got [1], DuckDB [2]'))).toBeUndefined();
    expect(outOfRoom('Conversion Error: Could not convert string "x" to DOUBLE')).toBeUndefined();
  });
});

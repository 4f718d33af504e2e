import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARD_SWEEP, parseBenchArgs, parseCustomerList, parseShardList } from './args.js';
import { workersFor } from './sweep.js';

describe('parseBenchArgs', () => {
  it('defaults to 100,000 customers, seed 1, the 1..32 sweep, 3 iterations and one warm-up', () => {
    const o = parseBenchArgs([]);
    expect(o).toMatchObject({ customers: 100_000, seed: 1, duplicates: 0, iterations: 3, warmup: 1, deployed: false, pg: false, components: true, reference: true, name: 'latest' });
    expect(o.shards).toEqual([...DEFAULT_SHARD_SWEEP]);
    expect(DEFAULT_SHARD_SWEEP).toEqual([1, 2, 4, 8, 16, 32]);
  });

  it('reads every option', () => {
    const o = parseBenchArgs(['--customers', '1000000', '--seed', '7', '--shards', '1,10,16', '--iterations', '1', '--deployed', '--pg', '--no-components', '--no-reference', '--name', 'million', '--warmup', '0', '--budget', '5', '--concurrency', '4', '--duplicates', '1.5']);
    expect(o).toMatchObject({ customers: 1_000_000, seed: 7, shards: [1, 10, 16], iterations: 1, deployed: true, pg: true, components: false, reference: false, name: 'million', warmup: 0, budgetSeconds: 5, concurrency: 4, duplicates: 1.5 });
  });

  it('deals the shards like npm start unless --workers says a count or one task per shard', () => {
    expect(parseBenchArgs([]).workers).toBeNull();
    expect(parseBenchArgs(['--workers', '3']).workers).toBe(3);
    expect(parseBenchArgs(['--workers', 'shards']).workers).toBe('shards');
    expect(workersFor(16, { workers: null, concurrency: 2 })).toBe(2);
    expect(workersFor(1, { workers: null, concurrency: 2 })).toBe(1);
    expect(workersFor(16, { workers: 'shards', concurrency: 2 })).toBe(16);
    expect(workersFor(4, { workers: 8, concurrency: 2 })).toBe(4);
    expect(() => parseBenchArgs(['--workers', '0'])).toThrow(/--workers must be a whole number from 1 to 1024, got "0"/);
    expect(parseBenchArgs([]).perShard).toBe(false);
    expect(parseBenchArgs(['--per-shard']).perShard).toBe(true);
  });

  it('turns the PostgreSQL measurement on when DATABASE_URL is set, and only then by default', () => {
    expect(parseBenchArgs([], { DATABASE_URL: 'postgres://h/db' }).pg).toBe(true);
    expect(parseBenchArgs([], { DATABASE_URL: '' }).pg).toBe(false);
  });

  it.each([
    [['--customers', '0'], /--customers must be a whole number from 1/],
    [['--customers', '1e5'], /"1e5"/],
    [['--seed', '-1'], /--seed/],
    [['--iterations', '0'], /--iterations/],
    [['--shards', '1,,2'], /comma-separated/],
    [['--shards', '0'], /--shards must be a whole number from 1 to 1024, got "0"/],
    [['--shards', '2000'], /"2000"/],
    [['--duplicates', 'lots'], /--duplicates/],
    [['--name', '../x'], /--name/],
    [['--bogus'], /bogus/],
  ])('rejects %j with a message naming the value', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});

describe('the store suite and s3:// locations', () => {
  it('--store runs the object-store suite, output in the bucket, results named store unless --name says otherwise', () => {
    expect(parseBenchArgs([])).toMatchObject({ store: false, storeOut: 'bucket', name: 'latest', deployedOut: 'out/bench' });
    expect(parseBenchArgs(['--store', '--shards', '1,2,4,8,16'])).toMatchObject({ store: true, storeOut: 'bucket', name: 'store', shards: [1, 2, 4, 8, 16] });
    expect(parseBenchArgs(['--store', '--store-out', 'local', '--name', 'store-local'])).toMatchObject({ store: true, storeOut: 'local', name: 'store-local' });
    expect(() => parseBenchArgs(['--store', '--store-out', 'disk'])).toThrow(/--store-out must be bucket or local, got "disk"/);
  });

  it('--deployed-out and BENCH_DEPLOYED_DATA take a folder or an s3:// location, passed on unchanged', () => {
    expect(parseBenchArgs(['--deployed-out', 's3://cm-runs/bench']).deployedOut).toBe('s3://cm-runs/bench');
    expect(parseBenchArgs(['--deployed-out', 'out/x']).deployedOut).toBe('out/x');
    expect(parseBenchArgs([], { BENCH_DEPLOYED_DATA: 's3://cm-data/100k' }).deployedData).toBe('s3://cm-data/100k');
    expect(parseBenchArgs([], { BENCH_DEPLOYED_DATA: 'https://host/x/' }).deployedData).toBe('https://host/x/');
    expect(parseBenchArgs([]).deployedData).toBeUndefined();
  });

  it.each<[string[], Record<string, string>, RegExp]>([
    [['--deployed-out', 's3://Bad_Bucket/x'], {}, /^--deployed-out s3:\/\/Bad_Bucket\/x: bucket name "Bad_Bucket" is not valid/],
    [['--deployed-out', 's3://cm-runs/a//b'], {}, /^--deployed-out s3:\/\/cm-runs\/a\/\/b: prefix "a\/\/b" has an empty/],
    [['--deployed-out', ''], {}, /--deployed-out must be a folder or s3:\/\/bucket\/prefix/],
    [[], { BENCH_DEPLOYED_DATA: 's3://x' }, /^BENCH_DEPLOYED_DATA s3:\/\/x: bucket name "x" is not valid/],
  ])('refuses a malformed location in one line naming it: %j %j', (argv, env, message) => {
    let err: unknown;
    try {
      parseBenchArgs(argv, env);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_OPTION' });
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(message);
  });
});

describe('parseShardList', () => {
  it('sorts and removes repeats', () => {
    expect(parseShardList('16, 1,4,4,2')).toEqual([1, 2, 4, 16]);
  });

  it('--customers takes one size or a list (a size sweep), sorted without repeats; the smallest is `customers`', () => {
    expect(parseBenchArgs([])).toMatchObject({ customers: 100_000, sizes: [100_000] });
    expect(parseBenchArgs(['--customers', '1000000'])).toMatchObject({ customers: 1_000_000, sizes: [1_000_000] });
    expect(parseBenchArgs(['--customers', '10000000,100000, 1000000,100000'])).toMatchObject({ customers: 100_000, sizes: [100_000, 1_000_000, 10_000_000] });
    expect(parseCustomerList('5')).toEqual([5]);
    expect(() => parseBenchArgs(['--customers', '100000,,1000000'])).toThrow(/--customers must be a customer count or a comma-separated list of them, got "100000,,1000000"/);
    expect(() => parseBenchArgs(['--customers', '100000,0'])).toThrow(/--customers must be a whole number from 1 to 100000000, got "0"/);
    expect(() => parseBenchArgs(['--customers', '1e6'])).toThrow(/got "1e6"/);
  });
});

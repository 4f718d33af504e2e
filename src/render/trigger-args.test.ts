import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_SLUG, TRIGGER_USAGE, parseTriggerArgs } from './trigger-args.js';
import { unusedPort } from '../testing/net.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const deployedEnv = { RENDER_API_KEY: 'rnd_test', RENDER_WORKFLOW_SLUG: 'cm-prod' };

describe('parseTriggerArgs', () => {
  it('deployed defaults: 10 shards, the repo data/ inside the root directory, key and slug from the environment', () => {
    const o = parseTriggerArgs([], deployedEnv, '/home/u/cm');
    expect(o).toEqual({
      help: false,
      local: false,
      json: false,
      slug: 'cm-prod',
      token: 'rnd_test',
      localDevUrl: undefined,
      input: { data: 'data', out_dir: 'out', shards: 10 },
    });
  });

  it('passes --shards, --data URL, --out, --max-rejects, --slug and --json through', () => {
    const o = parseTriggerArgs(
      ['--shards', '16', '--data', 'https://bucket.example/x/?sig=1', '--out', '/tmp/o', '--max-rejects', '5', '--slug', 'other', '--json'],
      deployedEnv,
      '/w',
    );
    expect(o.input).toEqual({ data: 'https://bucket.example/x/?sig=1', out_dir: '/tmp/o', shards: 16, max_rejects: 5 });
    expect(o.slug).toBe('other');
    expect(o.json).toBe(true);
  });

  it('--sink postgres asks the shards to load into the service\'s database', () => {
    expect(parseTriggerArgs(['--sink', 'postgres'], deployedEnv, '/w').input.sink).toEqual({ kind: 'postgres' });
    expect(parseTriggerArgs([], deployedEnv, '/w').input.sink).toBeUndefined();
    expect(() => parseTriggerArgs(['--sink', 'sqlite'], deployedEnv, '/w')).toThrow(/--sink must be files or postgres, got "sqlite"/);
  });

  it('--local needs no API key, defaults the slug, and makes local paths absolute', () => {
    const o = parseTriggerArgs(['--local', '--data', 'src/testdata/tutorial-2000'], { RENDER_LOCAL_DEV_URL: 'http://127.0.0.1:9999' }, '/w/cm');
    expect(o.local).toBe(true);
    expect(o.token).toBeUndefined();
    expect(o.slug).toBe(DEFAULT_LOCAL_SLUG);
    expect(o.localDevUrl).toBe('http://127.0.0.1:9999');
    expect(o.input).toEqual({ data: '/w/cm/src/testdata/tutorial-2000', out_dir: '/w/cm/out', shards: 10 });
  });

  it.each([[{ RENDER_USE_LOCAL_DEV: 'true' }], [{ RENDER_LOCAL_DEV_URL: 'http://127.0.0.1:9999' }]])('is local without --local under the SDK\'s own switch %o', (env) => {
    const o = parseTriggerArgs([], env, '/w/cm');
    expect([o.local, o.token, o.slug]).toEqual([true, undefined, DEFAULT_LOCAL_SLUG]);
  });

  it.each([[false], [true]])('passes --data and --out s3:// locations through unchanged (local %s)', (local) => {
    const o = parseTriggerArgs([...(local ? ['--local'] : []), '--data', 's3://cm-data/100k', '--out', 's3://cm-runs/2026-12-06/'], local ? {} : deployedEnv, '/w/cm');
    expect(o.input).toEqual({ data: 's3://cm-data/100k', out_dir: 's3://cm-runs/2026-12-06/', shards: 10 });
  });

  it.each<[string[], RegExp]>([
    [['--data', 's3://Bad_Bucket/x'], /^--data s3:\/\/Bad_Bucket\/x: bucket name "Bad_Bucket" is not valid/],
    [['--out', 's3://cm-runs/a/../b'], /^--out s3:\/\/cm-runs\/a\/\.\.\/b: prefix "a\/\.\.\/b" has an empty, "\." or "\.\." segment/],
    [['--out', 's3://ab'], /^--out s3:\/\/ab: bucket name "ab" is not valid/],
    [['--out', 'https://host/out/'], /^--out https:\/\/host\/out\/: shards cannot write to an http\(s\) URL/],
  ])('refuses a malformed location in one line, INVALID_OPTION: %j', (argv, message) => {
    let err: unknown;
    try {
      parseTriggerArgs(argv, deployedEnv, '/w');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'INVALID_OPTION' });
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(message);
  });

  it('says what is missing for a deployed run', () => {
    expect(() => parseTriggerArgs([], { RENDER_WORKFLOW_SLUG: 's' }, '/w')).toThrow(/RENDER_API_KEY is not set/);
    expect(() => parseTriggerArgs([], { RENDER_API_KEY: 'k' }, '/w')).toThrow(/no workflow slug: set RENDER_WORKFLOW_SLUG/);
  });

  it('rejects bad values and unknown options with the offending value', () => {
    expect(() => parseTriggerArgs(['--shards', '0'], deployedEnv, '/w')).toThrow(/--shards must be a whole number from 1 to 1024, got "0"/);
    expect(() => parseTriggerArgs(['--shards', '2000'], deployedEnv, '/w')).toThrow(/got "2000"/);
    expect(() => parseTriggerArgs(['--bogus'], deployedEnv, '/w')).toThrow(/--bogus/);
  });

  it('--help needs nothing else', () => {
    expect(parseTriggerArgs(['--help'], {}, '/w').help).toBe(true);
  });
});

describe('npm run trigger (compiled; run `npm run build` first)', () => {
  const cli = join(root, 'dist', 'src', 'render', 'trigger-cli.js');
  const run = (args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } => {
    const clean = { ...process.env };
    for (const k of ['RENDER_API_KEY', 'RENDER_WORKFLOW_SLUG', 'RENDER_USE_LOCAL_DEV', 'RENDER_LOCAL_DEV_URL']) delete clean[k];
    return spawnSync(process.execPath, [cli, ...args], { cwd: root, env: { ...clean, ...env }, encoding: 'utf8', timeout: 30_000 });
  };

  it('prints its usage', () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
    const r = run(['--help'], {});
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(TRIGGER_USAGE);
  });

  it('fails with one line, INVALID_OPTION, on a malformed s3:// location', () => {
    const r = run(['--out', 's3://Bad_Bucket/runs', '--json'], { RENDER_API_KEY: 'k', RENDER_WORKFLOW_SLUG: 's' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^customer-merge trigger: --out s3:\/\/Bad_Bucket\/runs: bucket name "Bad_Bucket" is not valid/)]);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_OPTION' } });
  });

  it('fails with one line when the API key is missing', () => {
    const r = run([], { RENDER_WORKFLOW_SLUG: 's' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^customer-merge trigger: RENDER_API_KEY is not set/)]);
  });

  it('fails with one line when it cannot reach a server: the SDK is missing here, or (with it) nothing listens', async () => {
    const port = await unusedPort();
    const r = run(['--local', '--shards', '2'], { RENDER_LOCAL_DEV_URL: `http://127.0.0.1:${port}` });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    if (!existsSync(join(root, 'node_modules', '@renderinc', 'sdk', 'package.json'))) {
      expect(lines).toEqual(['customer-merge trigger: @renderinc/sdk is not installed; install it with: npm install --no-save @renderinc/sdk@^1']);
    } else {
      expect(lines.at(-1)).toMatch(/^customer-merge trigger: /);
    }
    expect(r.stdout).toBe('');
  });
});


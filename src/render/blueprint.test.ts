import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BlueprintSyntaxError, checkBlueprint, parseBlueprint, workflowService } from './blueprint-check.js';
import type { YamlValue } from './blueprint-check.js';
import { SDK_SETUP_COMMAND } from './sdk.js';
import { DEFAULT_DEPLOYED_DATA, DEFAULT_LOCAL_SLUG } from './trigger-args.js';
import { WORKER_MALLOC_TUNABLES } from '../runtime/local.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const text = readFileSync(join(root, 'render.yaml'), 'utf8');
const doc = parseBlueprint(text, 'render.yaml');
const service = workflowService(doc);
type Obj = { [k: string]: YamlValue };

/** A copy of the Blueprint with `change` applied to its workflow service (or to the root). */
function mutated(change: (service: Obj, root: Obj) => void): YamlValue {
  const copy = structuredClone(doc) as Obj;
  const s = (copy['services'] as Obj[]).find((x) => x['type'] === 'workflow') as Obj;
  change(s, copy);
  return copy;
}

describe('render.yaml', () => {
  it('is a sound Blueprint with one workflow service', () => {
    expect(checkBlueprint(doc)).toEqual([]);
  });

  it('builds with the SDK installed and starts the compiled Render entry with node', () => {
    expect(service.buildCommand).toBe(`${SDK_SETUP_COMMAND} && npm run build`);
    expect(service.startCommand).toBe('node dist/src/render/entry.js');
    // The started file is what `npm run build` (tsc, outDir dist, rootDir .) makes of src/render/entry.ts.
    const base = resolve(root, service.rootDir ?? '.');
    const script = service.startCommand.split(' ')[1] ?? '';
    expect(existsSync(join(base, script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(existsSync(join(base, 'package.json'))).toBe(true);
  });

  it('keeps the data a deployed run reads by default inside the service root directory', () => {
    const base = resolve(root, service.rootDir ?? '.');
    const data = resolve(base, DEFAULT_DEPLOYED_DATA);
    expect(relative(base, data).startsWith('..')).toBe(false);
    expect(relative(root, data).startsWith('..')).toBe(false);
  });

  it('names the workflow as the trigger does by default', () => {
    expect(service.name).toBe(DEFAULT_LOCAL_SLUG);
  });

  it('wires DATABASE_URL (the durable sink on Render) from the declared database', () => {
    expect(service.envKeys).toContain('DATABASE_URL');
    expect(service.envKeys).toContain('LOG_LEVEL');
  });

  it('wires the object store through the AWS SDK variables, as secrets set in the Dashboard (sync: false, no value)', () => {
    const envVars = (((doc as Obj)['services'] as Obj[]).find((x) => x['type'] === 'workflow')!['envVars'] as Obj[]);
    for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      const entry = envVars.find((v) => v['key'] === key);
      expect(entry, key).toEqual({ key, sync: false });
    }
    // Optional store variables are documented in the header, not declared.
    for (const name of ['AWS_S3_FORCE_PATH_STYLE', 'AWS_ENDPOINT_URL_S3', 'AWS_SESSION_TOKEN']) expect(text).toMatch(new RegExp(`^#.*\\b${name}\\b`, 'm'));
    // No secret has a value anywhere in the file.
    expect(text).not.toMatch(/AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID)\s*[:=]\s*\S/);
  });

  it('keeps CM_DATA_PATH=scan for runs whose out is the instance\'s folder, and says a run with an s3:// out uses the partition path', () => {
    const envVars = (((doc as Obj)['services'] as Obj[]).find((x) => x['type'] === 'workflow')!['envVars'] as Obj[]);
    expect(envVars.find((v) => v['key'] === 'CM_DATA_PATH')?.['value']).toBe('scan');
    expect(text).toMatch(/--out s3:\/\/bucket\/prefix` every output\n# lives in the bucket/);
  });

  it("gives Render's task instances the allocator settings the embedded runtime gives its workers", () => {
    const vars = (doc as Obj)['services'] as Obj[];
    const env = (vars.find((x) => x['type'] === 'workflow')!['envVars'] as Obj[]).find((v) => v['key'] === 'GLIBC_TUNABLES');
    expect(env?.['value']).toBe(WORKER_MALLOC_TUNABLES);
  });

  it('declares or documents every environment variable the task code reads', () => {
    const read = envVarsReadByTaskCode(join(root, 'src'));
    // Sanity: the scan sees the variables we know the tasks read.
    expect(read).toEqual(expect.arrayContaining(['LOG_LEVEL', 'DATABASE_URL']));
    const missing = read.filter((name) => !service.envKeys.includes(name) && !new RegExp(`\\b${name}\\b`).test(text));
    expect(missing, 'add these to render.yaml (envVars, or the comment listing optional variables)').toEqual([]);
  });
});

describe('the Blueprint check fails on each mistake it is meant to catch', () => {
  it.each<[string, (s: Obj, r: Obj) => void, RegExp]>([
    ['a missing startCommand', (s) => delete s['startCommand'], /startCommand is required/],
    ['a missing repo', (s) => delete s['repo'], /repo is required/],
    ['a missing branch', (s) => delete s['branch'], /branch is required/],
    ['a plan field', (s) => (s['plan'] = 'starter'), /has no plan field/],
    ['an unknown service field', (s) => (s['healthCheckPath'] = '/'), /unknown field healthCheckPath/],
    ['an unknown root field', (_s, r) => (r['servces'] = []), /unknown root field servces/],
    ['another runtime', (s) => (s['runtime'] = 'python'), /runtime must be node/],
    ['starting through npm', (s) => (s['startCommand'] = 'npm run start'), /node directly/],
    ['a build without the SDK', (s) => (s['buildCommand'] = 'npm ci && npm run build'), /@renderinc\/sdk@\^1/],
    ['an SDK range that leaves out 1.0.0', (s) => (s['buildCommand'] = 'npm ci && npm install --no-save @renderinc/sdk@^1.7.0 && npm run build'), /buildCommand must run npm ci, then npm install --no-save @renderinc\/sdk@\^1,/],
    ['a rootDir outside the repo', (s) => (s['rootDir'] = '../elsewhere'), /rootDir must be a relative path/],
    ['an env var read from an undeclared database', (s) => ((s['envVars'] as Obj[])[2] = { key: 'DATABASE_URL', fromDatabase: { name: 'nope', property: 'connectionString' } }), /database nope/],
    ['a secret with sync: true', (s) => (s['envVars'] as Obj[]).push({ key: 'AWS_SECRET', sync: true }), /sync must be false/],
    ['an env var declared twice', (s) => (s['envVars'] as Obj[]).push({ key: 'LOG_LEVEL', value: 'debug' }), /LOG_LEVEL is declared twice/],
    ['an unquoted number as a value', (s) => (s['envVars'] as Obj[]).push({ key: 'X', value: 20 }), /quote numbers/],
    ['two workflow services', (s, r) => (r['services'] as Obj[]).push({ ...s }), /exactly one service of type workflow, found 2/],
  ])('%s', (_what, change, message) => {
    const errors = checkBlueprint(mutated(change));
    expect(errors.some((e) => message.test(e)), errors.join('\n')).toBe(true);
  });
});

/**
 * Names of environment variables read by the code that runs in tasks (src/, without the CLIs,
 * the Render client side, test helpers and tests), in the forms this code base uses:
 * `process.env['X']`, `env['X']`, `env.X`, `helper(env, 'X', …)` and `const …_ENV = 'X'`.
 * Test-only hooks (CM_TEST_*, FLAKY_*) are left out.
 */
function envVarsReadByTaskCode(dir: string): string[] {
  const patterns = [
    /\benv\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g,
    /\benv\.([A-Z][A-Z0-9_]+)\b/g,
    /\(\s*env\s*,\s*'([A-Z][A-Z0-9_]+)'/g,
    /_ENV\s*=\s*'([A-Z][A-Z0-9_]+)'/g,
    /\b(CHAOS_[A-Z0-9_]+)\b/g,
  ];
  const names = new Set<string>();
  const skipDir = new Set(['render', 'testing', 'cli', 'testdata']);
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!skipDir.has(e.name)) walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !/testkit|fixture/.test(e.name) && !(d === dir && e.name === 'cli.ts')) {
        const src = readFileSync(p, 'utf8');
        for (const re of patterns) for (const m of src.matchAll(re)) if (m[1] !== undefined) names.add(m[1]);
      }
    }
  };
  walk(dir);
  return [...names].filter((n) => !/^(CM_TEST_|FLAKY_)/.test(n) && n !== 'CHAOS_FAULT' && n !== 'CHAOS_VARS').sort();
}

describe('a Blueprint that is not valid YAML', () => {
  it.each<[string, string, number, number]>([
    ['an unclosed quote', 'services:\n  - type: workflow\n    name: "customer-merge\n', 4, 1],
    ['a key indented into a scalar', 'services:\n  - type: workflow\n   name: x\n', 3, 1],
    ['a key given twice', 'services: []\nservices: []\n', 2, 1],
  ])('%s gives one line naming file:line:col', (_what, bad, line, col) => {
    let err: unknown;
    try {
      parseBlueprint(bad, 'render.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BlueprintSyntaxError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message.startsWith(`render.yaml:${line}:${col}: `), message).toBe(true);
  });

  it('parses the real render.yaml with the same function', () => {
    expect(() => parseBlueprint(text, 'render.yaml')).not.toThrow();
  });
});

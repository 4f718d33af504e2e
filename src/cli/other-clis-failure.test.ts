/** `npm run chaos` and `npm run trigger` report a refused option as `npm start` does: one line, the --json failure object, exit 1. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = (script: string, args: string[], env: Record<string, string> = {}) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RENDER_'))) as Record<string, string>;
  return spawnSync(process.execPath, [script, ...args], { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8', timeout: 30_000 });
};

describe('failure lines of the other CLIs', () => {
  it('chaos: a bad --shards', () => {
    const r = run('dist/src/chaos/cli.js', ['--shards', '0', '--json']);
    const message = '--shards must be a whole number from 1 to 1024, got "0"';
    expect([r.status, r.stderr, r.stdout]).toEqual([1, `customer-merge chaos: ${message}\n`, `${JSON.stringify({ error: { code: 'INVALID_OPTION', message } })}\n`]);
  });
  it('trigger: no API key', () => {
    const r = run('dist/src/render/trigger-cli.js', ['--json'], { RENDER_WORKFLOW_SLUG: 's' });
    const message = 'RENDER_API_KEY is not set: create an API key in the Render Dashboard and export it, or use --local with `render workflows dev`';
    expect([r.status, r.stderr, r.stdout]).toEqual([1, `customer-merge trigger: ${message}\n`, `${JSON.stringify({ error: { code: 'INVALID_OPTION', message } })}\n`]);
  });
});

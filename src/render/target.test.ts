import { describe, expect, it } from 'vitest';
import { clientOptions, renderTarget, targetProblem } from './target.js';

describe('renderTarget', () => {
  it('is Render with an API key, and says so when the key is missing', () => {
    const t = renderTarget(false, { RENDER_API_KEY: 'rnd_k' });
    expect(t).toEqual({ local: false, token: 'rnd_k', localDevUrl: undefined });
    expect(clientOptions(t)).toEqual({ token: 'rnd_k' });
    expect(targetProblem(renderTarget(false, { RENDER_API_KEY: '' }))).toMatch(/^RENDER_API_KEY is not set/);
  });

  it.each<[string, boolean, Record<string, string>, object]>([
    ['--local', true, {}, { token: 'local-dev', useLocalDev: true }],
    ['RENDER_USE_LOCAL_DEV=true', false, { RENDER_USE_LOCAL_DEV: 'true' }, { token: 'local-dev', useLocalDev: true }],
    ['RENDER_LOCAL_DEV_URL', false, { RENDER_LOCAL_DEV_URL: 'http://localhost:9000' }, { token: 'local-dev', useLocalDev: true, localDevUrl: 'http://localhost:9000' }],
  ])('is the local dev server under %s, with no key needed', (_what, flag, env, options) => {
    const t = renderTarget(flag, env);
    expect(t.local).toBe(true);
    expect(targetProblem(t)).toBeUndefined();
    expect(clientOptions(t)).toEqual(options);
  });

  it('RENDER_USE_LOCAL_DEV=false is not local', () => {
    expect(renderTarget(false, { RENDER_USE_LOCAL_DEV: 'false' }).local).toBe(false);
  });
});

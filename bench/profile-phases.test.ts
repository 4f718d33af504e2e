import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { phaseOf } from './profile-attribution.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The compiled names (relative to dist/) of the non-test modules in src/<dir>, read from disk. */
function modules(dir: string): string[] {
  return readdirSync(`${root}src/${dir}`)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => `src/${dir}/${f.replace(/\.ts$/, '.js')}`);
}

describe('profile phases', () => {
  it('gives every src/engine and src/core module a named phase', () => {
    const files = [...modules('engine'), ...modules('core')];
    expect(files.length).toBeGreaterThan(10);
    const unmapped = files.filter((f) => phaseOf(f, 'anything').startsWith('other'));
    expect(unmapped).toEqual([]);
  });

  it('sends routing to route (md5) and profile assembly to profile + key', () => {
    expect(phaseOf('src/engine/route.js', 'shardOfBytes')).toBe('route (md5)');
    expect(phaseOf('src/engine/md5.js', 'md5Prefix32Bytes')).toBe('route (md5)');
    expect(phaseOf('src/engine/merge.js', 'profiles')).toBe('profile + key');
    expect(phaseOf('src/engine/merge.js', 'addEncoded')).toBe('merge');
    expect(phaseOf('src/engine/csv.js', 'push')).toBe('parse (CSV)');
  });
});

import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attribute, phaseOf } from './profile-attribution.js';
import type { CpuProfile } from './profile-attribution.js';

const url = (file: string): string => `file:///work/main/dist/${file}`;

/** root → runShard (tasks) → readRows (rows.js) → CsvParser.push (csv.js); runShard → stringify (builtin); gc. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 6, 7] },
    { id: 2, callFrame: { functionName: 'runShard', url: url('src/tasks/shard/work.js'), lineNumber: 9 }, children: [3, 5] },
    { id: 3, callFrame: { functionName: 'readRows', url: url('src/engine/rows.js'), lineNumber: 40 }, children: [4] },
    { id: 4, callFrame: { functionName: 'push', url: url('src/engine/csv.js'), lineNumber: 101 } },
    { id: 5, callFrame: { functionName: 'write', url: url('src/sinks/files.js'), lineNumber: 12 }, children: [8] },
    { id: 6, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    { id: 7, callFrame: { functionName: 'readFile', url: 'node:fs', lineNumber: 3 } },
    { id: 8, callFrame: { functionName: 'stringify', url: '', lineNumber: -1 } },
  ],
  samples: [4, 4, 3, 8, 6, 7, 2],
  timeDeltas: [1000, 1000, 1000, 2000, 500, 500, 1000],
};

describe('CPU profile attribution', () => {
  it('counts each sample for the nearest project function, builtins for their caller', () => {
    const a = attribute(profile);
    expect(a.totalMs).toBe(7);
    const phase = Object.fromEntries(a.phases.map((p) => [p.name, p.ms]));
    expect(phase).toEqual({ 'parse (CSV)': 2, 'type + validate': 1, write: 2, gc: 0.5, 'node internals': 0.5, 'task glue': 1 });
    expect(a.phases[0]?.pct).toBeCloseTo((100 * 2) / 7);
    expect(a.files.find((f) => f.name === 'src/sinks/files.js')?.ms).toBe(2);
    expect(a.functions.find((f) => f.name === 'stringify builtin')?.ms).toBe(2);
    expect(a.functions.find((f) => f.name === 'push src/engine/csv.js:102')?.ms).toBe(2);
  });

  it('names phases by file, and shows unknown project files instead of hiding them', () => {
    expect(phaseOf('src/core/profile.js', 'buildProfile')).toBe('profile + key');
    expect(phaseOf('src/core/merge-rule.js', 'sideBySide')).toBe('profile + key');
    expect(phaseOf('src/engine/merge.js', 'addEncoded')).toBe('merge');
    expect(phaseOf('src/engine/merge.js', 'profiles')).toBe('profile + key');
    expect(phaseOf('src/engine/transcode.js', 'encode')).toBe('transcode (check + JSON bytes)');
    expect(phaseOf('src/engine/md5.js', 'md5Prefix32Bytes')).toBe('route (md5)');
    expect(phaseOf('src/engine/route.js', 'shardOfBytes')).toBe('route (md5)');
    expect(phaseOf('src/engine/csv.js', 'push')).toBe('parse (CSV)');
    expect(phaseOf('src/io/spill.js', 'x')).toBe('partition + spill');
    expect(phaseOf('src/io/brand-new.js', 'x')).toBe('other (src/io/brand-new.js)');
  });
});

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
});

/**
 * Attribution of a V8 CPU profile (the `Profiler.stop` result) to the project's files and phases.
 * Pure, so the rules are testable: each sample counts for the nearest project function on its
 * stack (builtins and Node internals count for the project code that called them), that function's
 * file names the phase, and files the table does not know show up as `other (<file>)` rather than
 * vanishing, so a new data-path module is visible in the profile at once.
 */

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples?: readonly number[];
  /** Microseconds since the previous sample. */
  readonly timeDeltas?: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  readonly pct: number;
}

export interface Attribution {
  readonly totalMs: number;
  readonly phases: Share[];
  readonly files: Share[];
  readonly functions: Share[];
}

const PROJECT = /\/dist\/((?:src|bench|generators)\/.*)$/;

/** Phase of each src/engine and src/core module, by base name (the same before and after the move to src/engine/). */
const CORE_PHASES: Readonly<Record<string, string>> = {
  csv: 'parse (CSV)',
  utf8: 'read',
  rows: 'type + validate',
  'source-row': 'type + validate',
  schema: 'type + validate',
  errors: 'type + validate',
  transcode: 'transcode (check + JSON bytes)',
  'cell-bytes': 'transcode (check + JSON bytes)',
  arena: 'copy bytes',
  profile: 'profile + key',
  hash: 'profile + key',
  md5: 'route (md5)',
  route: 'route (md5)',
  routing: 'route (md5)',
  merge: 'merge',
  picks: 'merge',
  'merge-rule': 'merge',
  enrich: 'enrich',
  stats: 'stats',
  // Re-exports only: its frames are module loading.
  index: 'task glue',
};

/** Phase of a project file (path relative to dist/), refined by function where a file mixes phases. */
export function phaseOf(file: string, fn: string): string {
  const core = /^src\/(?:core|engine)\/([^/]+)\.js$/.exec(file)?.[1];
  if (core === 'merge' && fn === 'profiles') return 'profile + key';
  if (core === 'merge-rule' && fn === 'sideBySide') return 'profile + key';
  if (core !== undefined && CORE_PHASES[core] !== undefined) return CORE_PHASES[core];
  if (file === 'src/io/row-source.js') return 'route (md5)';
  if (file === 'src/io/source.js' || file === 'src/io/file-chunks.js') return 'read';
  if (/partition|spill|slice/.test(file)) return 'partition + spill';
  if (file.startsWith('src/sinks/') || file === 'src/io/atomic.js') return 'write';
  if (file.startsWith('src/tasks/') || file === 'src/io/output-names.js' || file.startsWith('src/io/inspect-')) return 'task glue';
  return `other (${file})`;
}

function special(fn: string): string | undefined {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'V8 (program)';
  return undefined;
}

function shares(map: Map<string, number>, totalUs: number): Share[] {
  return [...map.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, pct: totalUs > 0 ? (100 * us) / totalUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

export function attribute(profile: CpuProfile): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owner = new Map<number, { phase: string; file: string }>();
  const ownerOf = (id: number): { phase: string; file: string } => {
    const cached = owner.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id);
    let found: { phase: string; file: string } | undefined;
    const sp = node === undefined ? undefined : special(node.callFrame.functionName);
    if (sp !== undefined) found = { phase: sp, file: sp };
    for (let cur: number | undefined = id; found === undefined && cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      const m = f === undefined ? null : PROJECT.exec(f.url);
      if (m !== null && f !== undefined) found = { phase: phaseOf(m[1]!, f.functionName), file: m[1]! };
    }
    const result = found ?? { phase: 'node internals', file: '(node internals)' };
    owner.set(id, result);
    return result;
  };
  const phases = new Map<string, number>();
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    const us = Math.max(0, deltas[i] ?? 0);
    total += us;
    const o = ownerOf(id);
    phases.set(o.phase, (phases.get(o.phase) ?? 0) + us);
    files.set(o.file, (files.get(o.file) ?? 0) + us);
    const f = byId.get(id)?.callFrame;
    const m = f === undefined ? null : PROJECT.exec(f.url);
    const where = m !== null ? `${m[1]}:${(f?.lineNumber ?? 0) + 1}` : f?.url === '' || f === undefined ? 'builtin' : f.url.replace(/^.*node_modules\//, '');
    const key = `${f?.functionName || '(anonymous)'} ${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  return { totalMs: total / 1000, phases: shares(phases, total), files: shares(files, total), functions: shares(functions, total) };
}

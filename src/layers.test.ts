/**
 * The layers of src/ (see .dependency-cruiser.cjs) hold: dependency-cruiser finds no import circle,
 * no import pointing up a layer, no test support in production code and no import of the engine
 * past its face (src/engine/index.ts); and on a small tree with
 * such imports it reports each one, so the rules can fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
  readonly cycle?: readonly { readonly name: string }[];
}

interface Cruise {
  readonly modules: readonly unknown[];
  readonly summary: { readonly violations: readonly Violation[] };
}

/** Runs dependency-cruiser on `src` under `cwd` with the project's rules. */
function cruise(cwd: string): Cruise {
  const out = execFileSync(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Cruise;
}

const brief = (v: Violation): string => `${v.rule.name}: ${v.from} -> ${v.to}`;

describe('layers of src/', () => {
  it('the real src/ has no circle, no upward import and no test support in production code', () => {
    const result = cruise(ROOT);
    expect(result.modules.length).toBeGreaterThan(100);
    expect(result.summary.violations.map(brief)).toEqual([]);
  });

  const fixture = mkdtempSync(join(tmpdir(), 'layers-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('a tree with an upward import, a circle, test support in production code, shard machinery importing a task and the engine imported past its face is reported', () => {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      'src/core/rule.ts': "import { task } from '../tasks/task.js';\nexport const rule = task;\n",
      'src/tasks/task.ts': 'export const task = 1;\n',
      'src/io/a.ts': "import { b } from './b.js';\nexport const a = (): number => b();\n",
      'src/io/b.ts': "import { a } from './a.js';\nexport const b = (): number => a();\n",
      'src/sinks/sink.ts': "import { helper } from '../testing/helper.js';\nexport const sink = helper;\n",
      'src/testing/helper.ts': 'export const helper = 2;\n',
      'src/tasks/run.ts': 'export const run = 3;\n',
      'src/tasks/contracts.ts': 'export type Input = number;\n',
      'src/tasks/shard/step.ts': "import { run } from '../run.js';\nimport type { Input } from '../contracts.js';\nexport const step = (i: Input): number => run + i;\n",
      'src/core/fine.test.ts': "import { task } from '../tasks/task.js';\nexport const fine = task;\n",
      'src/engine/inner.ts': 'export const inner = 4;\n',
      'src/engine/index.ts': "export { inner } from './inner.js';\n",
      'src/engine/inner.test.ts': "import { inner } from './inner.js';\nexport const seen = inner;\n",
      'src/core/domain.ts': "import { inner } from '../engine/index.js';\nexport const domain = inner;\n",
      'src/io/reader.ts': "import { inner } from '../engine/inner.js';\nimport { inner as face } from '../engine/index.js';\nexport const reader = inner + face;\n",
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, name)), { recursive: true });
      writeFileSync(join(fixture, name), text);
    }
    const found = cruise(fixture).summary.violations.map(brief).sort();
    expect(found).toEqual(
      [
        'layer-core: src/core/rule.ts -> src/tasks/task.ts',
        'no-circular: src/io/a.ts -> src/io/b.ts',
        'layer-sinks: src/sinks/sink.ts -> src/testing/helper.ts',
        'no-test-support-in-production: src/sinks/sink.ts -> src/testing/helper.ts',
        'shard-machinery-below-tasks: src/tasks/shard/step.ts -> src/tasks/run.ts',
        'layer-core: src/core/domain.ts -> src/engine/index.ts',
        'engine-through-its-face: src/io/reader.ts -> src/engine/inner.ts',
      ].sort(),
    );
  });
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds `dist/` before any suite runs when it is missing or older than the sources, so any single
 * test file or folder runs with `npx vitest run <path>` on a fresh clone: several suites start the
 * compiled workers and CLIs. Nothing is built when `dist/` is up to date.
 */
export default function setup(): void {
  const script = join(import.meta.dirname, '..', 'scripts', 'build-if-stale.mjs');
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status ?? r.signal}): dist/ could not be built, see tsc's errors above`);
}

#!/usr/bin/env node
/**
 * Builds `dist/` with `tsc -p tsconfig.build.json` only when it is missing or older than a
 * source: any .ts file or source folder under src/, generators/, bench/ (a renamed file changes
 * its folder's time), or a tsconfig/package file,
 * newer than the stamp `dist/.build-stamp` that the last successful build left. `npm start`,
 * `npm test` and the other scripts call it, and so does the tests' global setup, so a single
 * suite runs with `npx vitest run <path>` on a fresh clone.
 *
 *   node scripts/build-if-stale.mjs            # build when stale, else print nothing
 *   node scripts/build-if-stale.mjs --verbose  # also say why it built or skipped
 *   node scripts/build-if-stale.mjs --force    # build whatever the times say (`npm run build`)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCE_DIRS = ['src', 'generators', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** Folders of data, not code: benches and tests write there without making dist/ stale. */
const DATA_DIRS = new Set(['results', 'testdata']);

/** The newest modification time (ms) of the inputs of the build, with the path that has it. */
export function newestInput(root = ROOT) {
  let newest = { ms: 0, path: '' };
  const see = (path) => {
    const ms = statSync(path).mtimeMs;
    if (ms > newest.ms) newest = { ms, path };
  };
  const walk = (dir) => {
    see(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!DATA_DIRS.has(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts')) see(path);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(root, d));
  for (const f of CONFIG_FILES) {
    try {
      see(join(root, f));
    } catch {
      // package-lock.json may be absent in a copy of the project; the others are required by tsc.
    }
  }
  return newest;
}

/** Why dist/ must be rebuilt, or undefined when it is up to date. */
export function staleReason(root = ROOT) {
  let stampMs;
  try {
    stampMs = statSync(join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return 'dist/ has not been built yet';
  }
  const newest = newestInput(root);
  return newest.ms > stampMs ? `${newest.path.slice(root.length + 1)} is newer than dist/` : undefined;
}

/** Builds when stale; returns tsc's exit status (0 when nothing had to be done). */
export function buildIfStale({ verbose = false, force = false } = {}) {
  const reason = force ? 'asked to (--force)' : staleReason();
  if (reason === undefined) {
    if (verbose) process.stderr.write('build-if-stale: dist/ is up to date\n');
    return 0;
  }
  if (verbose) process.stderr.write(`build-if-stale: building, ${reason}\n`);
  const started = new Date();
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
  if (r.error !== undefined) {
    process.stderr.write(`build-if-stale: cannot run ${tsc}: ${r.error.message}; run \`npm ci\` first\n`);
    return 1;
  }
  if (r.status !== 0) return r.status ?? 1;
  // Stamped with the time the build started, so a source saved during the build makes the next call build again.
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = buildIfStale({ verbose: process.argv.includes('--verbose'), force: process.argv.includes('--force') });
}

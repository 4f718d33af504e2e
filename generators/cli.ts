#!/usr/bin/env node
/**
 * `npm run generate -- --customers N --seed S --out DIR [...]`: the dataset generator's command
 * line. Progress on a TTY, a rows/s summary at the end, nothing at all with --quiet. Ctrl-C
 * deletes the temporary files and exits 130 without touching files under their final names; a run
 * that has not stopped 5 s after the signal exits at once.
 */
import { parseCliArgs, USAGE } from './cli-args.js';
import { generateDataset } from './dataset.js';
import { failureOf, reportFailure } from '../src/cli/failure.js';
import { storageError } from '../src/io/storage.js';
import { GenerationAbortedError } from './errors.js';
import { formatCount, TtyProgress } from './progress.js';
import { stopOnSignals } from './stop-signals.js';

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCliArgs(argv);
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { options } = command;
  const controller = new AbortController();
  const stopHandlers = stopOnSignals(process, (reason) => controller.abort(reason), (line) => process.stderr.write(`customer-merge generate: ${line}\n`));
  const progress = new TtyProgress(process.stderr);
  try {
    const report = await generateDataset({
      ...options,
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
    });
    progress.clear();
    if (options.quiet !== true) {
      const seconds = report.elapsedMs / 1000;
      const bytes = Object.values(report.files).reduce((sum, f) => sum + f.bytes, 0);
      process.stdout.write(
        `wrote ${formatCount(report.totalRows)} rows (${formatCount(report.spec.customers)} customers, ` +
          `${(bytes / 1e6).toFixed(1)} MB, ${report.workers} worker${report.workers === 1 ? '' : 's'}) to ${report.out} ` +
          `in ${seconds.toFixed(2)} s: ${formatCount(report.rowsPerSecond)} rows/s\n`,
      );
      if (report.planted > 0) process.stdout.write(`planted ${report.planted} malformed rows: ${report.dirtyManifestPath}\n`);
    }
    return 0;
  } catch (error) {
    progress.clear();
    if (error instanceof GenerationAbortedError) {
      process.stderr.write(`customer-merge generate: ${error.message}\n`);
      return 130;
    }
    throw storageError(error, (error as { path?: unknown }).path === undefined ? options.out : String((error as { path?: unknown }).path));
  } finally {
    stopHandlers();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportFailure('customer-merge generate', failureOf(error, '--workers 0 runs the generator in this one process'), process.argv.slice(2));
  },
);

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { isRemote } from '../io/source.js';
import { checkStoreLocation, isStoreLocation } from '../io/source-store.js';
import { storageError } from '../io/storage.js';

/**
 * Checks the CLI's paths before anything runs or is written: `--data` must be an existing
 * directory, an http(s) base URL or a well-formed `s3://bucket/prefix`, and `--out` must not be an existing file and must be writable (or, when
 * missing, its nearest existing parent must be: a read-only folder fails here, not after the
 * input was read, as a StorageError) or a well-formed `s3://bucket/prefix` (whose bucket the
 * run checks before fan-out). One clear line each, naming
 * the option and the path; the per-file checks (missing crm.csv, bad header, …) are
 * `prepare_run`'s, inside the run.
 */
export async function checkPaths(opts: { readonly data: string; readonly out: string }): Promise<void> {
  checkStoreLocation(opts.data, '--data');
  if (!isRemote(opts.data)) {
    const kind = await kindOf(opts.data);
    if (kind === 'missing') throw new InvalidOptionError(`--data ${opts.data} does not exist`);
    if (kind !== 'dir') throw new InvalidOptionError(`--data ${opts.data} is not a directory (it must hold crm.csv, billing.csv, product.csv, support.csv)`);
  }
  checkStoreLocation(opts.out, '--out');
  if (isStoreLocation(opts.out)) return;
  const out = await kindOf(opts.out);
  if (out !== 'missing' && out !== 'dir') throw new InvalidOptionError(`--out ${opts.out} exists and is not a directory`);
  let dir = resolve(opts.out);
  while ((await kindOf(dir)) === 'missing' && dirname(dir) !== dir) dir = dirname(dir);
  await access(dir, constants.W_OK).catch((err: unknown) => {
    throw storageError(err, dir);
  });
}

async function kindOf(path: string): Promise<'missing' | 'dir' | 'other'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new InvalidOptionError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

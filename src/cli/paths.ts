import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { isRemote } from '../io/source.js';
import { checkStoreLocation, isStoreLocation } from '../io/source-store.js';
import { storageError } from '../io/storage.js';

/**
 * Checks the CLI's paths before anything runs: `--data` an existing directory, an http(s) URL or
 * `s3://bucket/prefix`; `--out` writable (or its nearest existing parent) or `s3://bucket/prefix`.
 * One line naming option and path; per-file checks are `prepare_run`'s.
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

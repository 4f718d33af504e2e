import { join } from 'node:path';
import { profileJson } from '../core/merge.js';
import { openAtomic } from '../io/atomic.js';
import { profilesFile } from '../tasks/output.js';
import type { ProfileSink } from './sink.js';

/**
 * The default sink: one JSON-lines file per shard under `out_dir`, written atomically (temp file
 * then rename) and byte-identical on re-run for the same input.
 */
export const filesSink: ProfileSink = {
  async open(input) {
    const rel = profilesFile(input);
    const out = await openAtomic(join(input.out_dir, rel));
    return {
      write: (p) => out.write(`${profileJson(p)}\n`),
      async commit() {
        const { checksum } = await out.commit();
        return { output_file: rel, checksum };
      },
      abort: () => out.abort(),
    };
  },
};

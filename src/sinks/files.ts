import { join } from 'node:path';
import { openAtomic } from '../io/atomic.js';
import { profilesFile } from '../io/output-names.js';
import type { ProfileSink } from './sink.js';

const NEWLINE = Buffer.from('\n');

/**
 * The default sink: one JSON-lines file per shard under `out_dir`, written atomically (temp file
 * then rename) and byte-identical on re-run for the same input.
 */
export const filesSink: ProfileSink = {
  async open(input) {
    const rel = profilesFile(input);
    const out = await openAtomic(join(input.out_dir, rel));
    return {
      write(p) {
        out.writeBytes(p.page, p.start, p.end);
        out.writeBytes(NEWLINE, 0, 1);
      },
      async commit() {
        const { checksum } = await out.commit();
        return { output_file: rel, checksum };
      },
      abort: () => out.abort(),
    };
  },
};

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.js';
import { MANIFEST_FILE } from './manifest.js';
import type { DataSpec } from './spec.js';
import { PROJECT_ROOT, tempDir } from './test-support.js';

const DATA = join(PROJECT_ROOT, 'data');
const dir = tempDir();
afterAll(() => dir.remove());

describe('bundled sample data/', () => {
  it('is 1,000 customers with seed 42 and default options, and regenerating it reproduces every committed byte', async () => {
    const manifest = JSON.parse(readFileSync(join(DATA, MANIFEST_FILE), 'utf8')) as { options: DataSpec };
    expect(manifest.options).toMatchObject({ customers: 1000, seed: 42, duplicates: 0, orphans: 0, dirty: 0 });
    await generateDataset({ ...manifest.options, out: dir.path, manifest: true, quiet: true });
    const names = ['billing.csv', 'crm.csv', 'manifest.json', 'product.csv', 'support.csv'];
    expect(readdirSync(DATA)).toEqual(expect.arrayContaining(names));
    for (const name of names) {
      expect(readFileSync(join(dir.path, name)).equals(readFileSync(join(DATA, name))), name).toBe(true);
    }
  });
});

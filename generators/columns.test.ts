import { describe, expect, it } from 'vitest';
import { SOURCE_COLUMNS, SOURCE_FILES } from '../src/core/schema.js';
import { COLUMNS, SOURCES, SOURCE_FILE } from './columns.js';

describe('columns', () => {
  it("the generator's headers and file names are the pipeline's known columns, in the same order", () => {
    for (const source of SOURCES) {
      expect([...COLUMNS[source]]).toEqual([...SOURCE_COLUMNS[source]]);
      expect(SOURCE_FILE[source]).toBe(SOURCE_FILES[source]);
    }
  });

  it("the headers match the tutorial fixture's first lines", async () => {
    const { readFileSync } = await import('node:fs');
    for (const source of SOURCES) {
      const path = `/work/shared/fixtures/tutorial-2000/${SOURCE_FILE[source]}`;
      let first: string;
      try {
        first = readFileSync(path, 'utf8').split('\n')[0] ?? '';
      } catch {
        continue; // fixture not present on this machine
      }
      expect(first).toBe(COLUMNS[source].join(','));
    }
  });
});

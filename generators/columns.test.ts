import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SOURCE_COLUMNS, SOURCE_FILES } from '../src/core/schema.js';
import { COLUMNS, SOURCES, SOURCE_FILE } from './columns.js';

/** The independent tutorial fixture, part of the repository. */
const FIXTURE = new URL('../src/testdata/tutorial-2000/', import.meta.url);

describe('columns', () => {
  it("the generator's headers and file names are the pipeline's known columns, in the same order", () => {
    for (const source of SOURCES) {
      expect([...COLUMNS[source]]).toEqual([...SOURCE_COLUMNS[source]]);
      expect(SOURCE_FILE[source]).toBe(SOURCE_FILES[source]);
    }
  });

  it.each(SOURCES)("the %s header matches the tutorial fixture's first line", (source) => {
    const path = fileURLToPath(new URL(SOURCE_FILE[source], FIXTURE));
    const first = readFileSync(path, 'utf8').split(/\r?\n/)[0];
    expect(first).toBe(COLUMNS[source].join(','));
  });
});

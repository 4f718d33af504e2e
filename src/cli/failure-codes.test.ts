/** docs/failures.md: the "When a run fails" table lists exactly the codes of src/cli/failure.ts. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAILURE_CODES } from './failure.js';

const DOC = fileURLToPath(new URL('../../docs/failures.md', import.meta.url));

/** The codes in the first column of the table under the heading "When a run fails". */
function documentedCodes(): string[] {
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf('\n## When a run fails\n');
  if (start < 0) throw new Error(`${DOC}: no section "## When a run fails"`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('failure codes', () => {
  it('the table in docs/failures.md and FAILURE_CODES name the same codes, in the same order', () => {
    expect(documentedCodes()).toEqual(Object.keys(FAILURE_CODES));
  });
});

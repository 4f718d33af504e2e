import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the whole test run one private temporary folder (TMPDIR, inherited by every test worker
 * and every process they start) and removes it afterwards, so the many temp datasets and output
 * folders the suites make never pile up in the system's /tmp.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'customer-merge-tests-'));
  process.env['TMPDIR'] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

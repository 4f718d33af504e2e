/**
 * Helpers for the generator's tests (kept out of production paths): a tiny strict RFC 4180
 * reader that keeps physical line numbers, temp directories, and a runner for the compiled CLI.
 * The reader is deliberately independent of the code under test (no csv-line.ts), so a parse-back
 * test checks the writer against a second implementation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (works from generators/*.ts and dist/generators/*.js). */
export const PROJECT_ROOT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  import.meta.url.endsWith('.ts') ? '..' : '../..',
);

export interface ParsedLine {
  /** 1-based physical line number. */
  readonly line: number;
  readonly fields: string[];
}

/** A CSV text split into records; throws on anything RFC 4180 rejects (with its line number). */
export function parseCsv(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  let pos = 0;
  let line = 1;
  while (pos < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[pos] === '"') {
        pos++;
        for (;;) {
          if (pos >= text.length) throw new Error(`unclosed quote in record starting at line ${start}`);
          const ch = text[pos] as string;
          if (ch === '"') {
            if (text[pos + 1] === '"') {
              field += '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          pos++;
        }
        const next = text[pos];
        if (next !== ',' && next !== '\n' && next !== undefined) {
          throw new Error(`character after closing quote at line ${line}: ${JSON.stringify(next)}`);
        }
      } else {
        while (pos < text.length && text[pos] !== ',' && text[pos] !== '\n') {
          if (text[pos] === '"') throw new Error(`quote inside unquoted field at line ${line}`);
          field += text[pos];
          pos++;
        }
      }
      fields.push(field);
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '\n') {
        pos++;
        line++;
      }
      break;
    }
    out.push({ line: start, fields });
  }
  return out;
}

/** Physical lines of a file's text (without the final newline's empty tail). */
export function physicalLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A fresh temp directory and its remover. */
export function tempDir(prefix = 'gen-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs the compiled CLI (dist/generators/cli.js); returns stdout and stderr, throws on non-zero exit. */
export function runCli(args: readonly string[]): { stdout: string } {
  const stdout = execFileSync(process.execPath, [join(PROJECT_ROOT, 'dist/generators/cli.js'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { stdout };
}

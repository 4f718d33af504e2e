/**
 * The commands the README and docs/ show still parse: every `npm start -- …`, `npm run generate|trigger|
 * chaos|bench -- …` and `node dist/…cli.js …` in its code blocks and inline code is handed to the
 * real option parser of its CLI (options exist, values are valid); nothing is run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../bench/args.js';
import { parseCliArgs } from '../generators/cli-args.js';
import { parseDrillArgs } from './chaos/args.js';
import { parseCli } from './cli/args.js';
import { parseTriggerArgs } from './render/trigger-args.js';

const ROOT = new URL('../', import.meta.url);
const DOCUMENTS = ['README.md', 'generators/README.md', ...readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Environment the Render-facing parsers read: a key and a slug, so that only options are judged. */
const ENV = { RENDER_API_KEY: 'rnd_readme_check', RENDER_WORKFLOW_SLUG: 'customer-merge' };

type Cli = 'start' | 'generate' | 'trigger' | 'chaos' | 'bench';

/** Each CLI's real parser: throws on an unknown option or a refused value. */
const PARSERS: Record<Cli, (argv: string[]) => unknown> = {
  start: (argv) => parseCli(argv),
  generate: (argv) => parseCliArgs(argv),
  trigger: (argv) => parseTriggerArgs(argv, ENV, '/'),
  chaos: (argv) => parseDrillArgs(argv),
  bench: (argv) => parseBenchArgs(argv, ENV),
};

/** How a command starts, and the CLI it runs. */
const STARTS: ReadonlyArray<[RegExp, Cli]> = [
  [/\bnpm start\b(?:\s+--silent)?(?:\s+--(?=\s|$))?/, 'start'],
  [/\bnpm run(?:\s+--silent)? (generate|trigger|chaos|bench)\b(?:\s+--(?=\s|$))?/, 'generate'],
  [/\bnode dist\/src\/cli\.js\b/, 'start'],
  [/\bnode dist\/generators\/cli\.js\b/, 'generate'],
  [/\bnode dist\/src\/render\/trigger-cli\.js\b/, 'trigger'],
  [/\bnode dist\/src\/chaos\/cli\.js\b/, 'chaos'],
  [/\bnode dist\/bench\/cli\.js\b/, 'bench'],
];

/** Placeholders the README writes for a value (`--customers N`), and a valid stand-in. */
const PLACEHOLDERS: Readonly<Record<string, string>> = { N: '4', S: '1', DIR: 'out' };

interface Command {
  readonly cli: Cli;
  readonly argv: string[];
  readonly text: string;
}

/** A command's words after the CLI: comments and later `&&` steps cut, placeholders filled. */
function argvOf(rest: string): string[] {
  const words = rest.split(/\s+&&\s+|\s+#|\s+\|/)[0]!.trim().split(/\s+/).filter(Boolean);
  // A closing quote left by a command inside `sh -c '…'` belongs to the shell, not the option.
  return words.map((w) => PLACEHOLDERS[w] ?? w.replace(/^(['"])(.*)\1$/, '$2').replace(/^([^'"]*)['"]$/, '$1'));
}

/**
 * Commands in one piece of text: a line of a code block (where a command quoted in backticks is
 * a mention, not a command), or an inline code span (where a bare `npm run generate` names the
 * CLI and is not a command to run).
 */
function commandsIn(text: string, inline: boolean): Command[] {
  const found: Command[] = [];
  for (const [re, cli] of STARTS) {
    const m = re.exec(text);
    if (m === null || (!inline && text.slice(0, m.index).includes('`'))) continue;
    const which = cli === 'generate' && m[1] !== undefined ? (m[1] as Cli) : cli;
    const argv = argvOf(text.slice(m.index + m[0].length));
    if (inline && argv.length === 0 && !m[0].endsWith('--')) continue;
    found.push({ cli: which, argv, text: text.trim() });
  }
  return found;
}

/** Every command the README shows, in fenced blocks (`$ ` prompts allowed) and in inline code. */
export function readmeCommands(markdown: string): Command[] {
  const commands: Command[] = [];
  const outside = markdown.replace(/^[ \t]*```[^\n]*\n([\s\S]*?)^[ \t]*```/gm, (_all, body: string) => {
    for (const line of body.split('\n')) commands.push(...commandsIn(line.trim().replace(/^\$\s+/, ''), false));
    return '';
  });
  for (const m of outside.matchAll(/`([^`]+)`/g)) commands.push(...commandsIn(m[1]!.replace(/\s+/g, ' '), true));
  return commands;
}

const commands = DOCUMENTS.flatMap((doc) => readmeCommands(readFileSync(fileURLToPath(new URL(doc, ROOT)), 'utf8')).map((c) => ({ ...c, text: `${doc}: ${c.text}` })));

describe('the commands the README and docs/ show', () => {
  it('are found for every CLI', () => {
    const per = (cli: Cli) => commands.filter((c) => c.cli === cli).length;
    expect(per('start')).toBeGreaterThanOrEqual(5);
    expect(per('generate')).toBeGreaterThanOrEqual(3);
    expect(per('trigger')).toBeGreaterThanOrEqual(3);
    expect(per('bench')).toBeGreaterThanOrEqual(5);
    expect(commands.some((c) => c.text.includes('node dist/generators/cli.js'))).toBe(true);
  });

  it.each(commands.map((c) => [c.text, c] as const))('%s parses', (_text, c) => {
    expect(() => PARSERS[c.cli](c.argv)).not.toThrow();
  });
});

describe('the check itself', () => {
  it.each<[string, RegExp]>([
    ['npm start -- --shard 3', /Unknown option '--shard'/],
    ['npm start -- --shards 0', /--shards must be a whole number/],
    ['npm run generate -- --customers 10 --seed 1 --out x --dirt 0.1', /--dirt/],
    ['npm run trigger -- --sink disk', /--sink must be files or postgres/],
    ['npm run chaos -- --scenarios flood', /unknown scenario "flood"/],
    ['npm run bench -- --made-up-option', /--made-up-option/],
    ['node dist/src/cli.js --no-such-thing', /--no-such-thing/],
  ])('refuses a made-up or invalid option: %s', (text, message) => {
    const [c] = readmeCommands(`\`${text}\``);
    expect(c).toBeDefined();
    expect(() => PARSERS[c!.cli](c!.argv)).toThrow(message);
  });

  it('reads fenced blocks with prompts, comments and && steps', () => {
    const found = readmeCommands("```sh\n$ npm ci && npm start -- --shards 4   # four shards\nnpm run bench -- --help\nnpm start --silent -- --json\ntime sh -c 'npm run build && node dist/src/cli.js --help'\n```\n");
    expect(found.map((c) => [c.cli, c.argv])).toEqual([
      ['start', ['--shards', '4']],
      ['bench', ['--help']],
      ['start', ['--json']],
      ['start', ['--help']],
    ]);
  });
});

/**
 * Structured logs: one JSON line per event on stderr (pino), with `level`, `time`, `event` and the
 * logger's bindings (`run_id`, `task`, `shard`, `attempt`); fields pass through `scrubFields`.
 * `LOG_LEVEL` sets verbosity (default info, silent under `NODE_ENV=test`); `LOG_FORMAT=json|pretty`
 * forces a form (default pretty on a terminal). Written synchronously so a dying process loses none.
 */
import { createRequire } from 'node:module';
import type pino from 'pino';
import { prettyLine } from './pretty.js';
import { scrubFields } from './redact.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reads a level name; anything else (unset, a typo) gives `fallback`, so a bad LOG_LEVEL never fails a task. */
export function parseLogLevel(text: string | undefined, fallback: LogLevel): LogLevel {
  const t = text?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(t ?? '') ? (t as LogLevel) : fallback;
}

/** The fields that tie a line to its run; `attempt` is present only when it is known. */
export interface LogBindings {
  readonly run_id?: string;
  readonly task?: string;
  readonly shard?: number;
  readonly attempt?: number;
  readonly [key: string]: string | number | boolean | undefined;
}

/** A logger whose every line is an event: `log.info('shard_started', { rows: 12 })`. */
export interface EventLog {
  readonly level: LogLevel;
  debug(event: string, fields?: Readonly<Record<string, unknown>>): void;
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
  /** A logger whose lines also carry `bindings`. */
  child(bindings: LogBindings): EventLog;
}

/** Process-wide logging settings; anything left out comes from the environment. */
export interface LogConfig {
  readonly level?: LogLevel;
  readonly format?: 'json' | 'pretty';
  /** Receives each finished line (with its newline) instead of stderr. */
  readonly write?: (line: string) => void;
}

let config: LogConfig = {};
let root: pino.Logger | undefined;

/** Sets how this process logs (the CLI routes lines through its progress display; tests capture them). */
export function configureLogging(next: LogConfig): void {
  config = next;
  root = undefined;
}

/** A logger for this process with `bindings` on every line. */
export function getLogger(bindings: LogBindings = {}): EventLog {
  // Silent logging needs no logger at all: a worker that logs nothing does not load pino.
  if (levelOf() === 'silent') return SILENT;
  root ??= createRoot();
  return wrap(root.child(definedOnly(bindings)));
}

function levelOf(): LogLevel {
  return config.level ?? parseLogLevel(process.env['LOG_LEVEL'], process.env['NODE_ENV'] === 'test' ? 'silent' : 'info');
}

const quiet = (): void => {};
const SILENT: EventLog = { level: 'silent', debug: quiet, info: quiet, warn: quiet, error: quiet, child: () => SILENT };

function createRoot(): pino.Logger {
  // Loaded on first use (pino is CommonJS, so require loads it synchronously).
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino').default;
  const level = levelOf();
  const envFormat = process.env['LOG_FORMAT'];
  const format =
    config.format ??
    (envFormat === 'json' || envFormat === 'pretty' ? envFormat : config.write === undefined && process.stderr.isTTY ? 'pretty' : 'json');
  const sink = config.write ?? ((line: string) => void process.stderr.write(line));
  const write = format === 'pretty' ? (line: string) => sink(prettyLine(line, config.write === undefined && process.stderr.isTTY)) : sink;
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    format === 'json' && config.write === undefined ? pino.destination({ dest: 2, sync: true }) : { write },
  );
}

function definedOnly(bindings: LogBindings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(bindings)) if (v !== undefined) out[k] = v;
  return out;
}

function wrap(l: pino.Logger): EventLog {
  const emit =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (event: string, fields?: Readonly<Record<string, unknown>>): void => {
      if (!l.isLevelEnabled(method)) return;
      l[method]({ ...(fields === undefined ? {} : scrubFields(fields)), event }, event);
    };
  return {
    level: l.level as LogLevel,
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (bindings) => wrap(l.child(definedOnly(bindings))),
  };
}

/** The readable form of a log line for a terminal; pino-pretty is loaded only when a line is prettified. */
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';

const require = createRequire(import.meta.url);
let format: ((line: string) => string) | undefined;

/** Formats one JSON log line for humans; a line that is not JSON comes back unchanged. */
export function prettyLine(line: string, colorize = false): string {
  if (!line.startsWith('{')) return line.endsWith('\n') ? line : `${line}\n`;
  if (format === undefined) {
    const pretty = require('pino-pretty') as typeof PinoPretty;
    format = pretty.prettyFactory({
      colorize,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,event',
      messageKey: 'msg',
      singleLine: true,
    });
  }
  try {
    return format(line);
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
}

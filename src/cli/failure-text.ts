import type { Failure } from './failure.js';

/** Each task level's wrapper around a subtask's error message (the SDK's and the local runtime's). */
const WRAPPER = /^(?:Subtask failed: )+/;

const REJECTS = /^\d+ row\(s\) rejected, more than --max-rejects \d+\. First: (\S+) line (\d+)(?:, (\S+?)(?::| is | )|: ).*? All are listed in (\S+); /;
const STORAGE = /^cannot write (.+?)(?: \((\d+) bytes\))?: [^;]* \((ENOSPC|EDQUOT|EROFS|EACCES|EPERM)\); /;
const TOO_LARGE = /^arguments of task \S+ are \d+ bytes, over the \d+-byte limit/;
const SOURCE = /^(\S+): (?:is |does not exist|cannot be read)/;

/**
 * The failure a task's message tells when only its text crossed (a Render run's `error`): the
 * project's TOO_MANY_REJECTS, DISK_FULL, NOT_WRITABLE, ARGUMENT_TOO_LARGE and SOURCE_FILE messages
 * are recognised; any other is TASK_FAILED with `hint`. `prefix` starts the message.
 */
export function failureOfMessage(text: string, prefix: string, hint: string): Failure {
  const first = (text.split('\n')[0] ?? '').replace(WRAPPER, '');
  const message = `${prefix}${first}`;
  const rejects = REJECTS.exec(first);
  if (rejects !== null) {
    const [, file, line, field, path] = rejects;
    return { error: { code: 'TOO_MANY_REJECTS', message, file: file!, line: Number(line), field: field ?? null, path: path! } };
  }
  const storage = STORAGE.exec(first);
  if (storage !== null) {
    const [, path, bytes, errno] = storage;
    const code = errno === 'ENOSPC' || errno === 'EDQUOT' ? 'DISK_FULL' : 'NOT_WRITABLE';
    return { error: { code, message, path: path!, ...(bytes !== undefined ? { bytes: Number(bytes) } : {}) } };
  }
  if (TOO_LARGE.test(first)) return { error: { code: 'ARGUMENT_TOO_LARGE', message } };
  const source = SOURCE.exec(first);
  if (source !== null) return { error: { code: 'SOURCE_FILE', message, file: source[1]! } };
  return { error: { code: 'TASK_FAILED', message: `${message} (${hint})` } };
}

/** The error `p` rejects with; fails the test (throws) when `p` fulfils instead. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection, the promise fulfilled');
}

/** The error `call` throws; fails the test when it throws none. */
export function thrownBy(call: () => unknown): Error {
  let value: unknown;
  try {
    value = call();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-Error: ${String(err)}`);
  }
  throw new Error(`expected a throw, got ${JSON.stringify(value)}`);
}

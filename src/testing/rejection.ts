/** The error `p` rejects with; fails the test (throws) when `p` fulfils instead. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection, the promise fulfilled');
}

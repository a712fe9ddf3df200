// Waiting in tests for what happens after a commit (subscribers, jobs, mail): poll until true.

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `find` (sync or async) until it gives something truthy, and returns it; fails after the
 * timeout. The default is generous because on a busy 2-core machine a job runner's turn can take
 * seconds; a passing wait costs only the time the thing took.
 */
export async function waitFor<T>(find: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found) return found as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

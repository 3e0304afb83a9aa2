// Polls until a condition holds (a truthy value, returned), or fails naming what it waited for.
// A probe that throws is tried again (a fetch to a process not listening yet), unless it throws
// GiveUp (the process it waits for has exited): then waitFor fails at once with that error.

/** Thrown by a probe when waiting longer cannot help. */
export class GiveUp extends Error {}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err; // e.g. a fetch to a process that is not listening yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

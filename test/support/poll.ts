import { PATIENCE_MS } from './patience';

/**
 * Reads `read()` every `intervalMs` until it equals `expected` (as JSON) or
 * `timeoutMs` passes, and returns the last value read either way: the caller
 * asserts on it, so a timeout fails with a diff of what Berth showed instead.
 * Once equal, it reads again after `holdMs`, so a late duplicate (a count going
 * past the expected value) still fails.
 */
export async function eventually<T>(read: () => Promise<T>, expected: T, { timeoutMs = PATIENCE_MS, intervalMs = 200, holdMs = 1_000 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (sameJson(value, expected)) {
      await sleep(holdMs);
      return read();
    }
    if (Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/**
 * Equality of JSON values regardless of key order. Not util.isDeepStrictEqual:
 * jest runs tests in their own realm, and objects parsed by fetch() come from
 * another, so their prototypes never compare equal.
 */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Polls `check()` until it returns true or the timeout passes; returns whether it did. */
export async function until(check: () => Promise<boolean>, { timeoutMs = PATIENCE_MS, intervalMs = 200 } = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}

/** Runs `check()` (which throws until it holds) until it passes or the timeout passes, then throws its last error. */
export async function passes<T>(check: () => Promise<T>, { timeoutMs = PATIENCE_MS, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(intervalMs);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

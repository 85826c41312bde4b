/** Runs every step in order even when one fails, then throws the first failure: whatever a suite started is always stopped. */
export async function stopAll(...steps: (() => unknown)[]): Promise<void> {
  let failure: unknown;
  let failed = false;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      if (!failed) [failure, failed] = [error, true];
    }
  }
  if (failed) throw failure;
}

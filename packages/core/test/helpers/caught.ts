// The error `run` throws or rejects with, for tests that look at what was thrown (its class, its
// code). Shared by every package's public-errors.test.ts.

/** What `run` throws (or its promise rejects with); fails the test when it returns normally. */
export async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, got none");
}

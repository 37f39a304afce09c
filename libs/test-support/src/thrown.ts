/**
 * The error `run` throws, checked to be an instance of `type` (a test that expects a
 * failure fails when there is none, or when it is of another kind).
 */
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}

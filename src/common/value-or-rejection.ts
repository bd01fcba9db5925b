/**
 * Runs `fn` and returns its value as is, or a rejected promise when it throws: for functions that
 * answer without a promise on a hot path while their callers expect failures as rejections.
 */
export function valueOrRejection<T>(fn: () => T): T | Promise<never> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

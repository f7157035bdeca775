/**
 * Waits for every promise, then throws the first failure. Promise.all rejects at the first failure and
 * leaves the rest running unobserved: for file writes, a caller cleaning up after the error would race
 * them (and a later failure would be an unhandled rejection).
 */
export async function settleAll(promises: Iterable<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

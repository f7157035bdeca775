/**
 * Registry of things to undo when the process is interrupted: scratch directories, server databases.
 * The CLI installs signal handlers that run every registered cleanup before exiting, so Ctrl-C never
 * leaves a scratch database behind.
 */
type Cleanup = () => Promise<void> | void;

const pending = new Set<Cleanup>();

export function registerCleanup(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

export async function runAllCleanups(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map(async (c) => c()));
}

let installed = false;

/** On SIGINT/SIGTERM: clean up, then exit with the conventional 128+signal code. */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    if (pending.size > 0) process.stderr.write(`verify-schema: ${signal} received, removing scratch databases…\n`);
    const hardExit = setTimeout(() => process.exit(code), 10_000);
    hardExit.unref();
    void runAllCleanups().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
}

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Registry of things to undo when a run fails or the process is interrupted: scratch directories, worker
 * threads, server databases. Each run (`withCleanupScope`) undoes only what was registered while it ran, so
 * runs sharing a process (the API, a test runner) never stop each other's engines; Ctrl-C and a process-ending
 * error undo everything, so they never leave a scratch database behind.
 */
type Cleanup = () => Promise<void> | void;

/** Everything pending in this process. */
const pending = new Set<Cleanup>();
/** The pending cleanups of the run whose async context registers them. */
const runScope = new AsyncLocalStorage<Set<Cleanup>>();

export function registerCleanup(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  const scope = runScope.getStore();
  scope?.add(cleanup);
  return () => {
    pending.delete(cleanup);
    scope?.delete(cleanup);
  };
}

/**
 * Runs `work` as one run: when it throws, what it registered and did not undo itself is undone before the
 * error is passed on — and nothing registered by runs going on beside it.
 */
export async function withCleanupScope<T>(work: () => Promise<T>): Promise<T> {
  const scope = new Set<Cleanup>();
  try {
    return await runScope.run(scope, work);
  } catch (error) {
    await runCleanups(scope);
    throw error;
  }
}

/** Undoes everything this process registered (an interrupt, or an error that ends the process). */
export function runAllCleanups(): Promise<void> {
  return runCleanups(pending);
}

async function runCleanups(set: Set<Cleanup>): Promise<void> {
  const all = [...set];
  set.clear();
  for (const cleanup of all) pending.delete(cleanup);
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

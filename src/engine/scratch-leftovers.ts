import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from './process-running.js';

/**
 * The embedded engine's scratch data directories live in shared memory (or the temporary folder). A run
 * cleans up its own on exit, failure and Ctrl-C, but a process killed outright (SIGKILL, the out-of-memory
 * killer, a cancelled CI job) leaves them there, holding memory until the machine restarts. Each name carries
 * the host and process id of its run, so a later run can remove those of processes that no longer exist —
 * the embedded counterpart of the server's leftover sweep.
 */

/** The host part of a name: a container's own hostname keeps runs of other containers sharing the folder apart. */
function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9.]/g, '_').slice(0, 40) || 'host';
}

/** The prefix of this process's scratch directories and checkpoint staging files in `root`. */
export function scratchPrefix(root: string): string {
  return join(root, `verify-schema-${hostTag()}-${process.pid}-`);
}

/**
 * Removes the scratch directories and staging files in `root` that runs on this host left behind when they
 * were killed (their process is gone). Best effort: an entry that cannot be removed is left for the next run.
 * Returns the names removed.
 */
export async function sweepScratchLeftovers(root: string): Promise<string[]> {
  const host = hostTag();
  const pattern = /^verify-schema-([^-]+)-(\d+)-/;
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || match[1] !== host) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isProcessRunning(pid)) continue;
    try {
      await rm(join(root, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Left for the next run.
    }
  }
  return removed;
}

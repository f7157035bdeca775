import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { registerCleanup } from '../engine/cleanup.js';

/**
 * Writes `path` under a temporary name and renames it into place, so a concurrent reader sees the old file or
 * the new one, never half of one; the temporary file is removed on failure and on Ctrl-C.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomUUID()}.tmp`;
  const unregister = registerCleanup(() => rm(temporary, { force: true }));
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    unregister();
  }
}

/**
 * Saved states of migration-history prefixes, as an engine keeps them: folders in the cache (the embedded
 * engine, see CheckpointStore) or template databases (a server, see ServerCheckpoints).
 */
export interface Checkpoints {
  /** The longest prefix with a checkpoint: its index in `keys`, where it is, and the fingerprint it must show. */
  findLongest(keys: string[]): Promise<{ index: number; path: string; fingerprint: string } | undefined>;
  /**
   * Saves the state after keys[i] through `write(path)`. `project` identifies the history (see projectKey):
   * a store shared by several projects bounds the checkpoints of each, so they do not evict each other.
   */
  save(key: string, fingerprint: string, write: (path: string) => Promise<void>, project: string): Promise<void>;
  /** Deletes a checkpoint that could not be started from or is not the one saved. */
  discard(path: string): Promise<void>;
}

/**
 * Cache writes of a run (checkpoints, catalogs) that go on while the run does the rest of its work: they only
 * speed up a later run, so nothing the run reports waits for them. Each write reports its own failure (a
 * notice); settled() never rejects.
 */
export class BackgroundWrites {
  private readonly running: Promise<void>[] = [];

  add(write: Promise<void>): void {
    this.running.push(write.catch(() => undefined));
  }

  /** Resolves when every write added so far has finished or failed. */
  async settled(): Promise<void> {
    while (this.running.length) await Promise.all(this.running.splice(0));
  }
}

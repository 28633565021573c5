// Group commit for the raw SQLite store: the writes that arrive while the
// event loop is busy are committed together, in one transaction.
//
// On SQLite in WAL mode a commit costs what it writes: every page the
// transaction touched (the ticket's, each index's) is appended to the WAL.
// Writes that arrive together mostly touch the same pages (the right edge of
// each index), so committing eight of them at once costs little more than
// one (measured: docs/decisions/0016). Each write still succeeds or fails
// alone — it runs in its own savepoint — and its promise settles only after
// the commit that holds it, so an answer is never sent for a write that
// could still be lost.
import type Database from "better-sqlite3";

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most writes in one commit: a bound on how long one transaction holds the lock. */
const MAX_BATCH = 64;

export class GroupCommit {
  private queue: Pending[] = [];
  private flushing = false;
  private readonly commitBatch: (batch: Pending[]) => Outcome[];

  /**
   * `retry` runs a synchronous transaction again while another connection
   * holds the write lock (a busy BEGIN IMMEDIATE changed nothing).
   */
  constructor(
    db: Database.Database,
    private readonly retry: <T>(operation: () => T) => Promise<T>,
  ) {
    // A transaction function called inside a transaction runs in a savepoint:
    // a write that throws is rolled back alone, and the batch commits the rest.
    const alone = db.transaction((work: () => unknown) => work());
    this.commitBatch = db.transaction((batch: Pending[]) =>
      batch.map((pending): Outcome => {
        try {
          return { ok: true, value: alone(pending.work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ).immediate;
  }

  /**
   * Runs `work` in the next group commit. `work` is a better-sqlite3
   * transaction function on this handle: alone it is its own `BEGIN
   * IMMEDIATE` transaction, in a group it is a savepoint.
   */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // After the I/O callbacks of this turn: the requests that arrived together join one batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** A write alone: its work is a transaction function of the store, retried while the lock is busy. */
  private async attempt(pending: Pending): Promise<Outcome> {
    try {
      return { ok: true, value: await this.retry(pending.work) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        // One write alone is its own transaction: no batch around it, no savepoint.
        const outcomes = batch.length === 1 ? [await this.attempt(batch[0]!)] : await this.retry(() => this.commitBatch(batch));
        outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
      } catch (error) {
        // The commit itself failed (the lock never came, the disk is full): nothing in the batch was written.
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }
}

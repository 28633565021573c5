// Group commit for the raw SQLite store: the writes that arrive while the
// event loop is busy are committed together, in one transaction.
//
// On SQLite in WAL mode a commit costs what it writes: every page the
// transaction touched (the ticket's, each index's) is appended to the WAL.
// Writes that arrive together mostly touch the same pages (the right edge of
// each index), so committing eight of them at once costs little more than
// one (measured: docs/decisions/0016). Each write still succeeds or fails
// alone, and its promise settles only after the commit that holds it, so an
// answer is never sent for a write that could still be lost.
//
// "Alone" without a savepoint per write: a savepoint and its release are two
// more statements per write, about a fifth of a use's time in SQLite
// (docs/decisions/0021). Writes almost never fail, so a batch is run
// optimistically — all of it or none of it — and only when one of its writes
// throws is the batch rolled back and run again one write per transaction,
// where the failing write fails alone and the others commit.
import type Database from "better-sqlite3";

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One of a batch's writes threw (not its BEGIN or COMMIT). */
class WriteFailed extends Error {
  constructor(readonly error: unknown) {
    super("a write in the batch failed");
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most writes in one commit: a bound on how long one transaction holds the lock. */
const MAX_BATCH = 64;

export class GroupCommit {
  private queue: Pending[] = [];
  private flushing = false;
  /** Every write of a batch in one `BEGIN IMMEDIATE` transaction; any write that throws rolls them all back. */
  private readonly commitBatch: (batch: Pending[]) => unknown[];
  /** One write in its own `BEGIN IMMEDIATE` transaction. */
  private readonly commitOne: (work: () => unknown) => unknown;

  /**
   * `retry` runs a synchronous transaction again while another connection
   * holds the write lock (a busy BEGIN IMMEDIATE changed nothing).
   */
  constructor(
    db: Database.Database,
    private readonly retry: <T>(operation: () => T) => Promise<T>,
  ) {
    this.commitBatch = db.transaction((batch: Pending[]) => {
      try {
        return batch.map((pending) => pending.work());
      } catch (error) {
        throw new WriteFailed(error);
      }
    }).immediate;
    this.commitOne = db.transaction((work: () => unknown) => work()).immediate;
  }

  /**
   * Runs `work` in the next group commit. `work` runs synchronously inside a
   * write transaction that the group begins and commits; it must not begin
   * one itself, and it may run twice (a batch rolled back runs again), so it
   * has no effect outside the database until its promise settles.
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

  /** A write alone, in its own transaction, retried while the lock is busy. */
  private async alone(pending: Pending): Promise<Outcome> {
    try {
      return { ok: true, value: await this.retry(() => this.commitOne(pending.work)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** The batch in one transaction; null if one of its writes threw, and nothing of it was written. */
  private async together(batch: Pending[]): Promise<Outcome[] | null> {
    try {
      return (await this.retry(() => this.commitBatch(batch))).map((value) => ({ ok: true, value }));
    } catch (error) {
      // A write failed: run them again one by one. Otherwise the commit itself
      // failed (the lock never came, the disk is full) and so does every write.
      return error instanceof WriteFailed ? null : batch.map(() => ({ ok: false, error }));
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let outcomes = batch.length === 1 ? [await this.alone(batch[0]!)] : await this.together(batch);
      if (outcomes === null) {
        outcomes = [];
        for (const pending of batch) outcomes.push(await this.alone(pending));
      }
      outcomes.forEach((outcome, i) => (outcome.ok ? batch[i]!.resolve(outcome.value) : batch[i]!.reject(outcome.error)));
    }
    this.flushing = false;
  }
}

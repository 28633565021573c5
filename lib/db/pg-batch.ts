// Batches for the PostgreSQL store's hot writes: the API's uses and creates
// that arrive while the previous batch is in flight go together in the next
// one — one statement, one round trip and one commit for all of them
// (docs/decisions/0021).
//
// A statement on PostgreSQL is all or nothing, so a batch is too. When the
// database refuses the batch's statement (an error the server answered), none
// of it was written, and each item is run again alone, where the one that
// fails fails alone. An error that is not the database's answer — the
// connection lost — may come after a commit, so it is passed to every item
// of the batch, as it would be to a statement of its own: never retried.
import pg from "pg";

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface BatchOptions {
  /** Most items in one statement. Default 64. */
  maxBatch?: number;
  /** Batches in flight at once (each holds a pooled connection). Default 2. */
  maxInFlight?: number;
}

export class PgBatch<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /**
   * `many` runs a batch of two or more in one statement and answers each
   * item's result in order; `one` runs an item alone, as the store would
   * without batches.
   */
  constructor(
    private readonly many: (items: I[]) => Promise<O[]>,
    private readonly one: (item: I) => Promise<O>,
    options: BatchOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled && this.inFlight < this.maxInFlight) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: the requests that arrived together go together.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: Pending<I, O>[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]!);
    let results: O[];
    try {
      results = await this.many(batch.map((pending) => pending.item));
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.alone(pending)));
      return;
    }
    batch.forEach((pending, i) => pending.resolve(results[i]!));
  }

  private async alone(pending: Pending<I, O>): Promise<void> {
    try {
      pending.resolve(await this.one(pending.item));
    } catch (error) {
      pending.reject(error);
    }
  }
}

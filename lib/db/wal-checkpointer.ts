// Checkpoints of the SQLite write-ahead log, off the event loop.
//
// A checkpoint copies the pages the WAL holds back into the database file and
// syncs it. By default SQLite runs one inside whichever commit pushes the WAL
// past 1,000 pages — on better-sqlite3, on the event loop: every request
// waiting behind that commit waits for the copy and the fsync, which is what
// set the API's p99 (bench:api: without checkpoints in the commit path, creates
// went from 4,500 to 7,000/s and the p99 of uses from 17 to 11 ms). Here a
// worker thread with its own connection runs PASSIVE checkpoints — which never
// block a writer or a reader — on a timer, and the hot connection runs none.
// If the worker stops, the connection takes its checkpoints back, so the WAL
// cannot grow without bound.
import { Worker } from "node:worker_threads";

import type Database from "better-sqlite3";

/** Run as CommonJS in the worker (eval: no file to bundle or to transpile). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.path, { timeout: 0 });
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // SQLITE_BUSY: another checkpoint is running; the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Runs a last checkpoint and stops the worker. */
  stop(): Promise<void>;
}

/** SQLite's own threshold, which the connection goes back to if the worker ends. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * Moves `db`'s checkpoints of the database file at `path` to a worker thread
 * that runs one every `intervalMs`.
 */
export function checkpointInBackground(db: Database.Database, path: string, intervalMs = 250): WalCheckpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs } });
  // The worker never keeps the process alive.
  worker.unref();
  db.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  const ended = new Promise<void>((resolve) => {
    const takeBack = () => {
      if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      resolve();
    };
    worker.once("exit", takeBack);
    worker.once("error", takeBack);
  });
  return {
    async stop() {
      stopping = true;
      // Held until it has stopped: an unreferenced worker would let the process end with the caller still waiting.
      worker.ref();
      worker.postMessage("stop");
      await ended;
    },
  };
}

// Child program for tests/db/wal-checkpointer.test.ts: opens the SQLite store
// at argv[2] with its background checkpoints, closes it, and says so. With
// nothing else keeping the process alive, "closed" must still be printed.
import { SqliteTicketStore } from "@/lib/db/sqlite-ticket-store";

const store = SqliteTicketStore.open(process.argv[2]!, { checkpointInBackground: true });
await store.close();
console.log("closed");

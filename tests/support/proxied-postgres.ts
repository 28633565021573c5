// A PostgreSQL test database that the app reaches through a loopback TCP
// proxy (./tcp-proxy.ts), so a fault test can cut or stall the line while the
// test's own client (`t.db`) still goes direct.
import { type Db, createDb } from "@/lib/db/client";

import { type TestDatabase, createTestDatabase } from "./databases";
import { type TcpProxy, startTcpProxy } from "./tcp-proxy";

export interface ProxiedPostgres {
  t: TestDatabase;
  proxy: TcpProxy;
  /** The app's client, through the proxy. */
  app: Db;
  /** Closes the line first (a query lost in a stall would hold its connection forever), then the clients. */
  close(): Promise<void>;
}

export async function createProxiedPostgres(postgresUrl: string, poolSize: number): Promise<ProxiedPostgres> {
  const t = await createTestDatabase("postgresql");
  const direct = new URL(postgresUrl);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const viaProxy = new URL(postgresUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const app = createDb(viaProxy.toString(), { schema: t.schema, poolSize });
  return {
    t,
    proxy,
    app,
    async close() {
      await proxy.close();
      await app.$disconnect().catch(() => {});
      await t.drop();
    },
  };
}

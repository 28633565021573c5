// oidc-provider's storage (its "adapter" interface) on the app's database:
// one row per stored object in `oidc_payloads`, keyed by (kind, id), so every
// instance behind a load balancer sees the same sessions, codes and tokens.
// Clients are not stored here: the "Client" kind reads the `oidc_clients`
// table the console and `npm run oidc:client` manage (lib/oidc/clients.ts).
import type { Adapter, AdapterPayload } from "oidc-provider";

import type { Db } from "@/lib/db/client";

import { clientMetadata } from "./clients";

const epoch = () => Math.floor(Date.now() / 1000);

export interface AdapterDeps {
  db: Db;
  /** AUTH_SECRET, to open the clients' sealed secrets. */
  secret: string;
}

function parse(row: { payload: string; consumedAt: Date | null } | null): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  if (row.consumedAt) payload.consumed = Math.floor(row.consumedAt.getTime() / 1000);
  return payload;
}

/** One model's storage (the provider makes one per model name). */
export class PrismaOidcAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly deps: AdapterDeps,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    if (this.kind === "Client") throw new Error("clients are managed with npm run oidc:client or the admin console");
    const expiresAt = typeof expiresIn === "number" ? new Date(Date.now() + expiresIn * 1000) : null;
    const columns = {
      payload: JSON.stringify(payload),
      grantId: payload.grantId ?? null,
      userCode: payload.userCode ?? null,
      uid: payload.uid ?? null,
      accountId: payload.accountId ?? null,
      clientId: payload.clientId ?? null,
      expiresAt,
    };
    await this.deps.db.oidcPayload.upsert({ where: { kind_id: { kind: this.kind, id } }, create: { kind: this.kind, id, ...columns }, update: columns });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.kind === "Client") {
      const client = await this.deps.db.oidcClient.findUnique({ where: { id } });
      return client ? (clientMetadata(client, this.deps.secret) as AdapterPayload) : undefined;
    }
    const row = await this.deps.db.oidcPayload.findUnique({ where: { kind_id: { kind: this.kind, id } }, select: { payload: true, consumedAt: true, expiresAt: true } });
    // An expired row may wait for the clean-up job; it is gone as far as the provider knows.
    if (row?.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
    return parse(row);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const row = await this.deps.db.oidcPayload.findFirst({ where: { kind: this.kind, uid, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, select: { payload: true, consumedAt: true } });
    return parse(row);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const row = await this.deps.db.oidcPayload.findFirst({ where: { kind: this.kind, userCode, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, select: { payload: true, consumedAt: true } });
    return parse(row);
  }

  async consume(id: string): Promise<void> {
    // One conditional write: of two parallel uses of a code, one marks it; the
    // provider refuses a consumed code and revokes its grant (reuse detection).
    await this.deps.db.oidcPayload.updateMany({ where: { kind: this.kind, id, consumedAt: null }, data: { consumedAt: new Date(epoch() * 1000) } });
  }

  async destroy(id: string): Promise<void> {
    await this.deps.db.oidcPayload.deleteMany({ where: { kind: this.kind, id } });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.deps.db.oidcPayload.deleteMany({ where: { grantId } });
  }
}

/** Ends grants and every token issued under them (the grant rows themselves too). */
export async function revokeGrants(db: Pick<Db, "oidcPayload">, grantIds: string[]): Promise<number> {
  if (grantIds.length === 0) return 0;
  await db.oidcPayload.deleteMany({ where: { grantId: { in: grantIds } } });
  return (await db.oidcPayload.deleteMany({ where: { kind: "Grant", id: { in: grantIds } } })).count;
}

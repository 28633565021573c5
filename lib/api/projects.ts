// API projects and their keys. A key is shown once, stored as SHA-256, and
// resolved through a short in-process cache so the hot path rarely touches
// the database for it.
import type { Db } from "@/lib/db/client";
import { hashSecret, newSecret, sameHash } from "@/lib/secrets";
import type { TicketService } from "@/lib/tickets";

const KEY_PREFIX = "tg_";

export interface ProjectSettings {
  /** Live (open, unexpired) tickets the project may hold. Default 100,000. */
  maxLiveTickets?: number;
  /** Largest payload in bytes of JSON. Default 4,096. */
  maxPayloadBytes?: number;
  /** Seconds, when a create names no ttl. Default 60. */
  defaultTtl?: number;
}

/** Creates a project and its first key. The key is returned here and never again. */
export async function createProject(db: Db, name: string, settings: ProjectSettings = {}) {
  const key = newSecret(KEY_PREFIX);
  const project = await db.apiProject.create({
    data: { name, ...settings, keys: { create: { keyHash: hashSecret(key), prefix: key.slice(0, 10), name: "first key" } } },
    include: { keys: { select: { id: true, prefix: true } } },
  });
  return { project, key };
}

export async function createApiKey(db: Db, projectId: string, name: string | null = null) {
  const key = newSecret(KEY_PREFIX);
  const record = await db.apiKey.create({ data: { projectId, keyHash: hashSecret(key), prefix: key.slice(0, 10), name } });
  return { key, record };
}

export async function revokeApiKey(db: Db, keyId: string, now = new Date()): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: now } });
  return count === 1;
}

export interface ProjectContext {
  projectId: string;
  keyId: string;
  disabled: boolean;
  maxLiveTickets: number;
  maxPayloadBytes: number;
  defaultTtl: number;
}

export interface KeyResolverOptions {
  /** How long a resolved key (or project setting) is trusted without asking the database. Default 5 s. */
  cacheMs?: number;
  /** lastUsedAt is written at most this often per key. Default 60 s. */
  touchEveryMs?: number;
  now?: () => number;
}

/**
 * Resolves API keys to their project. Revoking a key or changing a project's
 * limits takes effect within `cacheMs` on every instance.
 */
export function createKeyResolver(db: Db, options: KeyResolverOptions = {}) {
  const cacheMs = options.cacheMs ?? 5_000;
  const touchEveryMs = options.touchEveryMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { context: ProjectContext | null; until: number }>();
  const touched = new Map<string, number>();

  async function load(hash: string): Promise<ProjectContext | null> {
    const key = await db.apiKey.findFirst({ where: { keyHash: hash }, include: { project: true } });
    // The row was found by its hash; comparing again in constant time costs nothing and keeps the rule simple to audit.
    if (!key || key.revokedAt !== null || !sameHash(key.keyHash, hash)) return null;
    const { project } = key;
    return { projectId: project.id, keyId: key.id, disabled: project.disabled, maxLiveTickets: project.maxLiveTickets, maxPayloadBytes: project.maxPayloadBytes, defaultTtl: project.defaultTtl };
  }

  return {
    async resolve(key: string): Promise<ProjectContext | null> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
      const hash = hashSecret(key);
      const at = now();
      let entry = cache.get(hash);
      if (!entry || entry.until <= at) {
        entry = { context: await load(hash), until: at + cacheMs };
        if (cache.size > 10_000) cache.clear();
        cache.set(hash, entry);
      }
      const context = entry.context;
      if (context && (touched.get(context.keyId) ?? 0) + touchEveryMs <= at) {
        touched.set(context.keyId, at);
        // Best effort and off the request path: a lost update only makes "last used" a minute staler.
        db.apiKey.updateMany({ where: { id: context.keyId }, data: { lastUsedAt: new Date(at) } }).catch(() => touched.delete(context.keyId));
      }
      return context;
    },
  };
}
export type KeyResolver = ReturnType<typeof createKeyResolver>;

/**
 * The other half of the live-ticket limit (docs/decisions/0013). A create
 * takes a place in its own transaction while the project's ticketsIssued -
 * ticketsEnded is below the limit; nothing lowers that difference when a
 * ticket is used up, expires or is deleted. So when a create is refused, the
 * handler asks `hasRoom`: it recounts, raising ticketsEnded to what has
 * really ended, and says whether fewer tickets than the limit are live.
 *
 * The recount takes no lock: it reads ticketsIssued, then asks the ticket
 * core how many are live (its one definition of live). Every ticket counted
 * in that ticketsIssued is live at the later count or has ended for good, so
 * ticketsEnded only ever rises to a true lower bound, however recounts and
 * creates interleave.
 *
 * A recount reads every live ticket of the project, so a project found full
 * is taken at its word for `fullForMs` (default 1 s) unless this process
 * frees one of its places meanwhile (`freed`): a client hammering a full
 * project costs one count a second per process, not one per request. A
 * place freed through another instance is found within that time.
 */
/** What the counter asks the ticket core: its clock and its live count. */
type LiveCounts = Pick<TicketService, "clock" | "countLive">;

export function createLiveTicketCounter(db: Db, options: { fullForMs?: number } = {}) {
  const fullForMs = options.fullForMs ?? 1_000;
  const fullUntil = new Map<string, number>();
  /** Places this process freed, per project: a recount that overlapped one must not mark the project full. */
  const frees = new Map<string, number>();
  const running = new Map<string, Promise<number>>();
  const queued = new Map<string, Promise<number>>();

  async function recountNow(projectId: string, tickets: LiveCounts): Promise<number> {
    // Issued before live, never after: a create between the two reads then
    // only lowers the difference (it is live, not yet issued), never raises it.
    const project = await db.apiProject.findUnique({ where: { id: projectId }, select: { ticketsIssued: true } });
    if (!project) return 0;
    const live = await tickets.countLive({ projectId });
    const ended = project.ticketsIssued - live;
    // Only raised: a recount that read earlier must not undo what a later one found.
    await db.apiProject.updateMany({ where: { id: projectId, ticketsEnded: { lt: ended } }, data: { ticketsEnded: ended } });
    return live;
  }

  function start(projectId: string, tickets: LiveCounts): Promise<number> {
    const run: Promise<number> = recountNow(projectId, tickets).finally(() => {
      if (running.get(projectId) === run) running.delete(projectId);
    });
    running.set(projectId, run);
    return run;
  }

  /** Callers refused at the same time share one recount, but never one that began before they were refused. */
  function recount(projectId: string, tickets: LiveCounts): Promise<number> {
    const waiting = queued.get(projectId);
    if (waiting) return waiting;
    const current = running.get(projectId);
    if (!current) return start(projectId, tickets);
    const next = current
      .catch(() => 0)
      .then(() => {
        queued.delete(projectId);
        return start(projectId, tickets);
      });
    queued.set(projectId, next);
    return next;
  }

  return {
    /** After a refused create: frees the places of tickets that ended, and says whether one is free now. */
    async hasRoom(projectId: string, limit: number, tickets: LiveCounts): Promise<boolean> {
      if ((fullUntil.get(projectId) ?? 0) > tickets.clock.now().getTime()) return false;
      const freesBefore = frees.get(projectId) ?? 0;
      const live = await recount(projectId, tickets);
      if (live < limit) return true;
      if ((frees.get(projectId) ?? 0) === freesBefore) fullUntil.set(projectId, tickets.clock.now().getTime() + fullForMs);
      return false;
    },
    /** This process used up or deleted one of the project's tickets: the next refusal recounts. */
    freed(projectId: string): void {
      fullUntil.delete(projectId);
      frees.set(projectId, (frees.get(projectId) ?? 0) + 1);
    },
  };
}
export type LiveTicketCounter = ReturnType<typeof createLiveTicketCounter>;

// API projects and their keys. A key is shown once, stored as SHA-256, and
// resolved through a short in-process cache so the hot path rarely touches
// the database for it.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import type { Db } from "@/lib/db/client";

const KEY_PREFIX = "tg_";

export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

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
  const key = generateApiKey();
  const project = await db.apiProject.create({
    data: { name, ...settings, keys: { create: { keyHash: hashApiKey(key), prefix: key.slice(0, 10), name: "first key" } } },
    include: { keys: { select: { id: true, prefix: true } } },
  });
  return { project, key };
}

export async function createApiKey(db: Db, projectId: string, name: string | null = null) {
  const key = generateApiKey();
  const record = await db.apiKey.create({ data: { projectId, keyHash: hashApiKey(key), prefix: key.slice(0, 10), name } });
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
    if (!key || key.revokedAt !== null || !timingSafeEqual(Buffer.from(key.keyHash, "hex"), Buffer.from(hash, "hex"))) return null;
    const { project } = key;
    return { projectId: project.id, keyId: key.id, disabled: project.disabled, maxLiveTickets: project.maxLiveTickets, maxPayloadBytes: project.maxPayloadBytes, defaultTtl: project.defaultTtl };
  }

  return {
    async resolve(key: string): Promise<ProjectContext | null> {
      if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
      const hash = hashApiKey(key);
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
 * Counts a project's live tickets for its limit. Counting on every create
 * would scan the project's open tickets each time, so the count is read at
 * most every `refreshMs` and kept up to date in between by the creates this
 * process makes: the limit holds to within what other instances created in
 * that window.
 */
export function createLiveTicketCounter(db: Db, options: { refreshMs?: number; now?: () => number } = {}) {
  const refreshMs = options.refreshMs ?? 1_000;
  const now = options.now ?? Date.now;
  const counts = new Map<string, { count: number; fetchedAt: number }>();
  return {
    /** Takes one place under `limit`; false when the project is full. */
    async reserve(projectId: string, limit: number): Promise<boolean> {
      const at = now();
      let entry = counts.get(projectId);
      if (!entry || entry.fetchedAt + refreshMs <= at) {
        const live = await db.ticket.count({ where: { projectId, state: "open", OR: [{ expiresAt: null }, { expiresAt: { gt: new Date(at) } }] } });
        entry = { count: live, fetchedAt: at };
        counts.set(projectId, entry);
      }
      if (entry.count >= limit) return false;
      entry.count += 1;
      return true;
    },
    /** Forget a project's count (after tickets were deleted), so the next reserve reads it afresh. */
    forget(projectId: string) {
      counts.delete(projectId);
    },
  };
}
export type LiveTicketCounter = ReturnType<typeof createLiveTicketCounter>;

import { SessionConfigError } from './errors.js';
import { toSessionData, type SessionData } from './session-data.js';
import type { SessionStore } from './session-store.js';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /**
   * Most sessions kept at once. When a new one would exceed it, the least recently used session
   * is dropped (with one TTL for all, expired sessions are always the least recently used).
   * Default 10,000. Keeps a crawler or an attacker that
   * starts sessions in a loop from growing the worker's memory without bound.
   */
  maxSessions?: number;
  /** The clock, in milliseconds (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  /** The data as JSON: stored serialized so no caller can mutate it in place, as with a real store. */
  readonly json: string;
  expiresAt: number;
}

/**
 * Sessions in this process's memory, with expiry and a size bound. **For development and tests
 * only**: each rr worker is its own process with its own memory, so with more than one worker a
 * user's requests land on workers that do not know their session (they appear logged out), and
 * everything is lost when a worker is replaced. In production use a shared store
 * (`ExpressStoreAdapter` over connect-redis, or the rr KV store).
 *
 * Expired sessions are dropped when read or when room is needed; no timer runs, so the store never
 * keeps a worker alive.
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    const max = options.maxSessions ?? 10_000;
    if (!Number.isSafeInteger(max) || max < 1) throw new SessionConfigError('maxSessions', `expected a whole number above 0, got ${JSON.stringify(max)}`);
    this.#maxSessions = max;
    this.#now = options.now ?? Date.now;
  }

  /** Sessions held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  async get(id: string): Promise<SessionData | undefined> {
    const entry = this.#live(id);
    return entry === undefined ? undefined : toSessionData(JSON.parse(entry.json));
  }

  async set(id: string, data: SessionData, ttlSeconds: number): Promise<void> {
    const json = JSON.stringify(data);
    // Deleted then added, so Map order is least recently written first: what eviction drops.
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxSessions) this.#makeRoom();
    this.#entries.set(id, { json, expiresAt: this.#now() + ttlSeconds * 1000 });
  }

  async touch(id: string, _data: SessionData, ttlSeconds: number): Promise<void> {
    const entry = this.#live(id);
    if (entry === undefined) return;
    entry.expiresAt = this.#now() + ttlSeconds * 1000;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
  }

  async destroy(id: string): Promise<void> {
    this.#entries.delete(id);
  }

  /** Drops every session. */
  clear(): void {
    this.#entries.clear();
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Drops the least recently used session: O(1), so a flood of new sessions costs no scans. */
  #makeRoom(): void {
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.#entries.delete(oldest.value);
  }
}

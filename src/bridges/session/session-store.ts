import type { SessionData } from './session-data.js';

/**
 * Where sessions live between requests: a promise-based key-value contract small enough for any
 * backend. Ids reaching a store have already been validated (see `isValidSessionId`). Data is
 * JSON-safe (see {@link SessionData}); each store serializes it as it needs (JSON in
 * `MemorySessionStore`, the wrapped store's serializer in `ExpressStoreAdapter`; an rr KV store
 * would write JSON bytes with an expiry).
 *
 * Every method may reject; the session wraps failures in `SessionStoreError`.
 */
export interface SessionStore {
  /** The data saved under `id`, or `undefined` (or `null`) when there is none or it expired. */
  get(id: string): Promise<SessionData | null | undefined>;
  /** Saves `data` under `id`, replacing what was there, to expire `ttlSeconds` from now. */
  set(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
  /** Removes `id`. Removing an id that does not exist is not an error. */
  destroy(id: string): Promise<void>;
  /**
   * Pushes `id`'s expiry to `ttlSeconds` from now without rewriting it; called for requests that
   * used the session but did not change it. `data` is the current data, for stores whose expiry
   * lives inside the record. Stores without `touch` only get their expiry renewed when data changes.
   */
  touch?(id: string, data: SessionData, ttlSeconds: number): Promise<void>;
}

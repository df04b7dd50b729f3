import { randomBytes, randomInt } from 'node:crypto';
import { KvValueError } from './errors.js';
import type { KvClient, KvSetItem } from './kv-client.js';

/**
 * Keys containing this are reserved for the key index: `RrKvCache` refuses them, so no cache can
 * overwrite another's index records.
 */
export const KV_INDEX_MARKER = '~rr-kv-index~';

/** Registry records per prefix. More slots = fewer writers racing on one record; `clear()` reads them all in one call. */
export const KV_INDEX_SLOTS = 64;

/** Keys per rr call when `clear()` reads records or deletes keys (keeps each protobuf message small). */
const BATCH = 500;

/** Options of {@link KvKeyIndex}. */
export interface KvKeyIndexOptions {
  client: KvClient;
  storage: string;
  /** The cache's key prefix, non-empty: the index lives under it. */
  prefix: string;
  now: () => number;
}

/**
 * The keys one `RrKvCache` (a "writer") wrote under its prefix, kept in the rr storage itself so
 * that `clear()` can delete exactly the keys written under the prefix by every worker. rr's KV RPC
 * has no key listing and no atomic operation (no compare-and-set, no increment, no set-add), so a
 * single shared "set of keys" record updated with read-modify-write would lose keys whenever two
 * workers add at once. Instead:
 *
 * - **Each writer has a record of its own** (`<prefix>~rr-kv-index~/w/<id>`, JSON
 *   `{ "v": 1, "keys": { key: expiresAtMs | null } }`) that only it ever writes, so no write of
 *   one worker can undo another's. It is rewritten only when a key is new to the writer or will
 *   outlive what the record says (entries are kept twice as long as the key's TTL, so a hot key
 *   re-set on every request rewrites it at most once per TTL), never on reads or deletes. The
 *   record's own TTL is the longest of its entries (none if one has none), so records of writers
 *   that exited vanish with their keys. Record writes of one writer are serialized and coalesced
 *   (rr runs RPC calls concurrently: two in flight could land out of order).
 * - **Writers are listed in registry records** (`<prefix>~rr-kv-index~/r/<0..63>`, a JSON array
 *   of writer ids), each writer in one random slot. Joining a slot is read-modify-write, the one
 *   place where two workers can race: two writers of the same slot joining within the same few
 *   milliseconds can drop one of them. A writer checks it is listed every time it writes its
 *   record and joins again when it is not, so a dropped writer is listed again at its next new key.
 *
 * Exact limits, all documented in docs/kv.md: a key can escape one `clear()` (1) when the `set`
 * runs concurrently with that `clear()` (inherent without transactions), or (2) when its writer
 * was dropped from the registry (the race above, or a `clear()` pruning a writer whose record had
 * expired while the writer was writing a new one) and that writer has written no new key since.
 * Keys written by anything but an `RrKvCache` with this prefix (a raw `KvClient`, PHP) are not
 * tracked. A record lists every live key of its writer, so caches with very many keys per worker
 * pay for rewriting it on each new key: give those a storage of their own and `ownsStorage: true`.
 */
export class KvKeyIndex {
  /** This writer's id: random per cache instance (so per worker process). */
  readonly writerId = randomBytes(9).toString('base64url');
  readonly #client: KvClient;
  readonly #storage: string;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #slot = randomInt(KV_INDEX_SLOTS);
  /** Key (without prefix) -> ms until which the record keeps it, `null` = for ever. */
  readonly #entries = new Map<string, number | null>();
  /** Set when a record write failed: the next write must rewrite the record whatever it adds. */
  #stale = false;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(options: KvKeyIndexOptions) {
    this.#client = options.client;
    this.#storage = options.storage;
    this.#prefix = options.prefix;
    this.#now = options.now;
  }

  /** The rr key of a writer's record. */
  recordKey(writerId: string): string {
    return `${this.#prefix}${KV_INDEX_MARKER}/w/${writerId}`;
  }

  /** The rr key of a registry slot. */
  slotKey(slot: number): string {
    return `${this.#prefix}${KV_INDEX_MARKER}/r/${slot}`;
  }

  /**
   * Notes that `keys` are being written to expire at `expiresAt` (ms, `null` = never) and, when
   * the record does not already cover them, writes it. Resolves when the record lists them.
   */
  async written(keys: readonly string[], expiresAt: number | null): Promise<void> {
    const now = this.#now();
    // Twice the remaining lifetime (plus rr's one-second rounding) before the record must be rewritten.
    const keepUntil = expiresAt === null ? null : expiresAt + Math.max(expiresAt - now, 0) + 1000;
    let changed = this.#stale;
    for (const key of keys) {
      const kept = this.#entries.get(key);
      if (kept === null) continue;
      if (keepUntil === null || kept === undefined || kept < expiresAt!) {
        this.#entries.set(key, keepUntil);
        changed = true;
      }
    }
    if (changed) await this.#flush();
  }

  /** Notes that `keys` were deleted: forgotten here, dropped from the record at its next write. */
  deleted(keys: readonly string[]): void {
    for (const key of keys) this.#entries.delete(key);
  }

  /**
   * Deletes every key that any writer recorded under this prefix and that still exists, and drops
   * from the registry the writers whose record has expired. Records themselves are left to their
   * writers (see the class comment); deleting a listed key that is already gone is harmless.
   * @returns how many keys were deleted (or were already gone).
   */
  async clear(): Promise<number> {
    const slotKeys = Array.from({ length: KV_INDEX_SLOTS }, (_, slot) => this.slotKey(slot));
    const slotValues = await this.#client.mGet(this.#storage, slotKeys);
    const slots = new Map<number, string[]>();
    for (const [slot, key] of slotKeys.entries()) {
      const bytes = slotValues.get(key);
      if (bytes !== undefined && bytes.length > 0) slots.set(slot, this.#parse(key, bytes, isWriterList));
    }
    const writers = [...new Set([...slots.values()].flat())];
    const keys = new Set<string>();
    const expired = new Set<string>();
    for (const batch of chunks(writers, BATCH)) {
      const records = await this.#client.mGet(this.#storage, batch.map((id) => this.recordKey(id)));
      for (const id of batch) {
        const bytes = records.get(this.recordKey(id));
        if (bytes === undefined || bytes.length === 0) {
          expired.add(id);
          continue;
        }
        for (const key of Object.keys(this.#parse(this.recordKey(id), bytes, isRecord).keys)) keys.add(this.#prefix + key);
      }
    }
    for (const batch of chunks([...keys], BATCH)) await this.#client.delete(this.#storage, batch);
    if (expired.size > 0) await this.#prune(slots, expired);
    return keys.size;
  }

  /** Rewrites the record now if none is being written, else once the current write is done (one write for all who waited). */
  #flush(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#start();
    const queued = this.#running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      this.#queued = undefined;
      return this.#start();
    });
    this.#queued = queued;
    return queued;
  }

  #start(): Promise<void> {
    const running = this.#write().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  async #write(): Promise<void> {
    // The snapshot is taken when the write starts, so a queued write carries every key noted while it waited.
    const item = this.#record();
    this.#stale = false;
    if (item === undefined) return;
    try {
      await Promise.all([this.#client.set(this.#storage, [item]), this.#join()]);
    } catch (error) {
      this.#stale = true;
      throw error;
    }
  }

  /** This writer's record, or `undefined` when every entry has expired (the old record expires with them). */
  #record(): KvSetItem | undefined {
    const now = this.#now();
    let longest: number | null = now;
    const keys: Record<string, number | null> = {};
    for (const [key, keepUntil] of this.#entries) {
      if (keepUntil !== null && keepUntil <= now) {
        this.#entries.delete(key);
        continue;
      }
      keys[key] = keepUntil;
      longest = keepUntil === null || longest === null ? null : Math.max(longest, keepUntil);
    }
    if (Object.keys(keys).length === 0) return undefined;
    const value = new TextEncoder().encode(JSON.stringify({ v: 1, keys }));
    return { key: this.recordKey(this.writerId), value, ttl: longest === null ? null : new Date(longest) };
  }

  /** Lists this writer in its registry slot unless it is there already. */
  async #join(): Promise<void> {
    const key = this.slotKey(this.#slot);
    const bytes = (await this.#client.mGet(this.#storage, [key])).get(key);
    const listed = bytes === undefined || bytes.length === 0 ? [] : this.#parse(key, bytes, isWriterList);
    if (listed.includes(this.writerId)) return;
    await this.#client.set(this.#storage, [{ key, value: encodeJson([...listed, this.writerId]) }]);
  }

  async #prune(slots: Map<number, string[]>, expired: Set<string>): Promise<void> {
    for (const [slot, listed] of slots) {
      if (!listed.some((id) => expired.has(id))) continue;
      // Read again: a writer may have joined since clear() read the slot.
      const key = this.slotKey(slot);
      const bytes = (await this.#client.mGet(this.#storage, [key])).get(key);
      const now = bytes === undefined || bytes.length === 0 ? [] : this.#parse(key, bytes, isWriterList);
      const kept = now.filter((id) => !expired.has(id));
      if (kept.length === 0) await this.#client.delete(this.#storage, [key]);
      else await this.#client.set(this.#storage, [{ key, value: encodeJson(kept) }]);
    }
  }

  #parse<T>(key: string, bytes: Uint8Array, check: (value: unknown) => value is T): T {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      value = error;
    }
    if (check(value)) return value;
    throw new KvValueError(
      `the KV key index record ${JSON.stringify(key)} in storage "${this.#storage}" is not one the cache wrote: keys containing ${KV_INDEX_MARKER} are reserved for the index`,
      { key, storage: this.#storage, serializer: 'json', method: 'kv.MGet' },
    );
  }
}

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function isWriterList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((id) => typeof id === 'string');
}

function isRecord(value: unknown): value is { v: 1; keys: Record<string, number | null> } {
  const record = value as { v?: unknown; keys?: unknown } | null;
  return typeof record === 'object' && record !== null && record.v === 1 && typeof record.keys === 'object' && record.keys !== null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

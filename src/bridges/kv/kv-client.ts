import { RpcConnectionError, RpcError, RpcTimeoutError } from '../../runtime/errors.js';
import { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { sharedRpcClient } from '../../runtime/rpc/shared-rpc-client.js';
import { KvConnectionError, KvError, KvKeyError, KvStorageNotFoundError } from './errors.js';
import { kvTimeout, parseKvTimeout } from './kv-timeout.js';
import type { KvTtl } from './kv-ttl.js';
import { decodeKvResponse, encodeKvRequest, kvItem, type KvItemMessage } from './proto/kv-v1.js';

/** Options of {@link KvClient}. */
export interface KvClientOptions {
  /**
   * The RPC client to call rr through, shared with other code; the KV client never closes it.
   * Default: its own `RpcClient` (closed by {@link KvClient.close}), built from `address` and
   * `timeoutMs`.
   */
  rpc?: RpcClient;
  /** rr's `rpc.listen` for the client's own RpcClient. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string;
  /** Per-call limit for the client's own RpcClient, in ms. Default the RpcClient's (30 s). */
  timeoutMs?: number;
  /** The clock TTLs are counted from, in ms (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/** One item for {@link KvClient.set}. */
export interface KvSetItem {
  key: string;
  /** Raw bytes: encoding is the caller's (the cache adapter uses a `Serializer`). */
  value: Uint8Array;
  /** Expiry: seconds from now or a Date; absent or `null` = none. Must not be already expired. */
  ttl?: KvTtl | null;
}

/** One item for {@link KvClient.mExpire}. */
export interface KvExpireItem {
  key: string;
  /** New expiry: seconds from now or a Date. Must not be already expired. */
  ttl: KvTtl;
}

/**
 * Typed client for rr's `kv` RPC service: every method of the plugin (`kv.Has`, `kv.Set`,
 * `kv.MGet`, `kv.MExpire`, `kv.TTL`, `kv.Delete`, `kv.Clear`), with `kv.v1` protobuf messages and
 * TTLs converted to the absolute RFC 3339 timestamps rr expects. Bytes in, bytes out: values are
 * not encoded here (see `RrKvCache`).
 *
 * Constructing it does no I/O: the RPC connection is dialed by the first call. Methods given no
 * keys return at once without calling rr (rr answers an empty key list with an error).
 *
 * Errors: `KvStorageNotFoundError` (rr: `no such storage: NAME`), `KvConnectionError` (rr not
 * reachable or too slow), `KvKeyError`/`KvTtlError` (refused before the call), `KvError` for
 * anything else rr answered; all carry `method` and `storage`.
 *
 * ```ts
 * const kv = new KvClient(); // RR_RPC inside a worker
 * await kv.set('local', [{ key: 'a', value: new TextEncoder().encode('1'), ttl: 60 }]);
 * const values = await kv.mGet('local', ['a', 'b']); // Map { 'a' => Uint8Array [49] }
 * ```
 */
export class KvClient implements AsyncDisposable {
  /** The RPC client calls go through. */
  readonly rpc: RpcClient;
  readonly #ownsRpc: boolean;
  readonly #now: () => number;

  constructor(options: KvClientOptions = {}) {
    ({ rpc: this.rpc, owned: this.#ownsRpc } = sharedRpcClient(options));
    this.#now = options.now ?? Date.now;
  }

  /** Which of `keys` exist (`kv.Has`): every key asked for is in the map, `true` or `false`. */
  async has(storage: string, keys: readonly string[]): Promise<Map<string, boolean>> {
    const result = new Map<string, boolean>();
    for (const key of keys) result.set(key, false);
    if (keys.length === 0) return result;
    const items = await this.#call('kv.Has', storage, keyItems('kv.Has', storage, keys));
    for (const item of items) if (result.has(item.key)) result.set(item.key, true);
    return result;
  }

  /** Stores items (`kv.Set`), each with its own optional TTL; existing keys are replaced. */
  async set(storage: string, items: readonly KvSetItem[]): Promise<void> {
    if (items.length === 0) return;
    const now = this.#now();
    const messages = items.map((item) => {
      checkKey('kv.Set', storage, item.key);
      return kvItem({ key: item.key, value: item.value, timeout: timeoutOf('kv.Set', storage, item.ttl, now) });
    });
    await this.#call('kv.Set', storage, messages);
  }

  /** Values of the keys that exist (`kv.MGet`); missing keys are absent from the map. */
  async mGet(storage: string, keys: readonly string[]): Promise<Map<string, Uint8Array>> {
    const result = new Map<string, Uint8Array>();
    if (keys.length === 0) return result;
    const items = await this.#call('kv.MGet', storage, keyItems('kv.MGet', storage, keys));
    for (const item of items) result.set(item.key, item.value);
    return result;
  }

  /**
   * Sets new expiries (`kv.MExpire`). Beware rr's memory driver: for a key that does not exist (or
   * exists without a TTL) it stores an **empty** value with the new TTL; `RrKvCache` reads an empty
   * value as missing for that reason.
   */
  async mExpire(storage: string, items: readonly KvExpireItem[]): Promise<void> {
    if (items.length === 0) return;
    const now = this.#now();
    const messages = items.map((item) => {
      checkKey('kv.MExpire', storage, item.key);
      return kvItem({ key: item.key, timeout: timeoutOf('kv.MExpire', storage, item.ttl, now) });
    });
    await this.#call('kv.MExpire', storage, messages);
  }

  /**
   * Expiries (`kv.TTL`): a Date, or `null` for a key stored without one. Keys that do not exist are
   * absent; so are keys without expiry on drivers that omit them (Redis). memcached has no TTL call.
   */
  async ttl(storage: string, keys: readonly string[]): Promise<Map<string, Date | null>> {
    const result = new Map<string, Date | null>();
    if (keys.length === 0) return result;
    const items = await this.#call('kv.TTL', storage, keyItems('kv.TTL', storage, keys));
    for (const item of items) result.set(item.key, parseKvTimeout(item.timeout));
    return result;
  }

  /** Deletes keys (`kv.Delete`); deleting a key that does not exist is not an error. */
  async delete(storage: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#call('kv.Delete', storage, keyItems('kv.Delete', storage, keys));
  }

  /** Removes **everything** in the storage (`kv.Clear`; Redis: `FLUSHDB` of its database). */
  async clear(storage: string): Promise<void> {
    await this.#call('kv.Clear', storage, []);
  }

  /** Closes the RPC client when this client made it; a shared one is left open. */
  async close(): Promise<void> {
    if (this.#ownsRpc) await this.rpc.close();
  }

  /** Same as {@link close}: the container calls it when it disposes the KV client. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #call(method: string, storage: string, items: KvItemMessage[]): Promise<KvItemMessage[]> {
    let bytes: Uint8Array;
    try {
      bytes = await this.rpc.callProto(method, encodeKvRequest({ storage, items }));
    } catch (error) {
      throw kvErrorOf(method, storage, error);
    }
    try {
      return decodeKvResponse(bytes).items;
    } catch (error) {
      throw new KvError('ERR_KV_PROTOCOL', `rr ${method} on storage "${storage}" answered with bytes that are not a kv.v1.Response`, {
        method,
        storage,
        cause: error,
      });
    }
  }
}

const NO_SUCH_STORAGE = /no such storage: ?(.*)$/s;

/** Maps what the RPC client threw to the KV error a caller can act on. */
function kvErrorOf(method: string, storage: string, error: unknown): Error {
  if (error instanceof RpcError) {
    const text = error.message.replace(`rr RPC ${method} failed: `, '');
    const missing = NO_SUCH_STORAGE.exec(text);
    if (missing) return new KvStorageNotFoundError(missing[1] || storage, method);
    return new KvError('ERR_KV', `rr ${method} on storage "${storage}" failed: ${text}`, { method, storage, cause: error });
  }
  if (error instanceof RpcConnectionError || error instanceof RpcTimeoutError) return new KvConnectionError(method, storage, error);
  // An aborted call or a bug: not ours to reword.
  return error instanceof Error ? error : new KvError('ERR_KV', `rr ${method} on storage "${storage}" failed: ${String(error)}`, { method, storage, cause: error });
}

function keyItems(method: string, storage: string, keys: readonly string[]): KvItemMessage[] {
  return keys.map((key) => {
    checkKey(method, storage, key);
    return kvItem({ key });
  });
}

/** rr's drivers refuse keys that are empty once trimmed, failing the whole call: refuse them first, with the key. */
function checkKey(method: string, storage: string, key: string): void {
  if (typeof key !== 'string') throw new KvKeyError(String(key), `expected a string, got ${typeof key}`, { method, storage });
  if (key.trim() === '') throw new KvKeyError(key, 'rr refuses empty and whitespace-only keys', { method, storage });
}

function timeoutOf(method: string, storage: string, ttl: KvTtl | null | undefined, now: number): string {
  if (ttl === undefined || ttl === null) return '';
  return kvTimeout(ttl, now, { method, storage });
}

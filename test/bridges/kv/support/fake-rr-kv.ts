/**
 * rr's `kv` RPC service played in-test over the goridge RPC server helper: kv.v1 protobuf in and
 * out, one in-memory map per storage, errors worded like rr's (`rpc_has: no such storage: x`), and
 * RFC 3339 timeouts honoured the way each rr driver does (roadrunner-server/memory `memorykv` and
 * roadrunner-server/redis `kv/driver.go`):
 *
 * - `memory`: `int(seconds until the timeout)`, truncated; `<= 0` stores the item **without TTL**;
 *   `kv.TTL` echoes the stored timeout string (`''` when none); `kv.MExpire` on a missing key (or one
 *   without TTL) stores an **empty** value with the new TTL.
 * - `redis`: millisecond precision (`SET ... PX`); a past timeout on Set stores without expiry, on
 *   MExpire deletes; `kv.TTL` omits keys without expiry and formats Go's `time.RFC3339`.
 *
 * The clock is injectable, so expiry can be observed without sleeping.
 */
import { decodeKvRequest, encodeKvResponse, kvItem, type KvItemMessage } from '../../../../src/bridges/kv/proto/kv-v1.js';
import { FrameFlag } from '../../../../src/runtime/goridge/flags.js';
import { GoridgeRpcServer, type RpcReply, type RpcRequest } from '../../../support/goridge-rpc-server.js';

export type FakeDriver = 'memory' | 'redis';

interface Entry {
  value: Uint8Array;
  /** ms since epoch; undefined = no expiry. */
  expiresAt: number | undefined;
  /** The timeout string as received (memory driver echoes it in kv.TTL). */
  timeout: string;
}

/** Go's `time.Parse(time.RFC3339, s)`: seconds required, optional fraction, `Z` or `±hh:mm`. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseRfc3339(value: string): number {
  if (!RFC3339.test(value)) {
    throw new Error(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
  }
  return Date.parse(value);
}

export interface FakeRrKvOptions {
  /** Storage name → driver. Default `{ local: 'memory', redis: 'redis' }`. */
  storages?: Record<string, FakeDriver>;
  /** The fake rr's clock in ms. Default `Date.now`. */
  now?: () => number;
  /** The whole rr config `rpc.Config` returns (as JSON). Default: built from `storages`. */
  config?: unknown;
}

export class FakeRrKv {
  readonly server: GoridgeRpcServer;
  readonly storages = new Map<string, { driver: FakeDriver; entries: Map<string, Entry> }>();
  now: () => number;
  /** Every kv.* call, decoded: method, storage, keys. */
  readonly calls: Array<{ method: string; storage: string; keys: string[]; timeouts: string[] }> = [];
  config: unknown;

  private constructor(server: GoridgeRpcServer, options: FakeRrKvOptions) {
    this.server = server;
    this.now = options.now ?? Date.now;
    for (const [name, driver] of Object.entries<FakeDriver>(options.storages ?? { local: 'memory', redis: 'redis' })) {
      this.storages.set(name, { driver, entries: new Map() });
    }
    this.config = options.config ?? {
      version: '3',
      rpc: { listen: server.address },
      kv: Object.fromEntries([...this.storages].map(([name, { driver }]) => [name, driver === 'redis' ? { driver, config: { addrs: ['127.0.0.1:6379'] } } : { driver, config: {} }])),
    };
    const methods: Array<[string, string, (storage: Map<string, Entry>, driver: FakeDriver, items: KvItemMessage[]) => KvItemMessage[]]> = [
      ['Has', 'rpc_has', (entries, _driver, items) => this.keysOf(items).filter((key) => this.live(entries, key)).map((key) => kvItem({ key }))],
      ['Set', 'rpc_set', (entries, driver, items) => this.set(entries, driver, items)],
      ['MGet', 'rpc_mget', (entries, _driver, items) => this.keysOf(items).flatMap((key) => (this.live(entries, key) ? [kvItem({ key, value: this.live(entries, key)!.value })] : []))],
      ['MExpire', 'rpc_mexpire', (entries, driver, items) => this.mExpire(entries, driver, items)],
      ['TTL', 'rpc_ttl', (entries, driver, items) => this.ttl(entries, driver, items)],
      ['Delete', 'rcp_delete', (entries, _driver, items) => (this.keysOf(items).forEach((key) => entries.delete(key)), [])],
      ['Clear', 'rcp_delete', (entries) => (entries.clear(), [])],
    ];
    for (const [method, op, run] of methods) {
      server.handlers.set(`kv.${method}`, (request) => this.handle(request, method, op, run));
    }
    server.handlers.set('rpc.Config', (request) => {
      // rr's rpc.Config returns []byte: the raw codec carries the JSON as is, the JSON codec base64s it.
      const json = Buffer.from(JSON.stringify(this.config));
      if (request.flags & FrameFlag.CODEC_JSON) return { body: Buffer.from(JSON.stringify(json.toString('base64'))) };
      return { body: json };
    });
  }

  static async start(options: FakeRrKvOptions = {}): Promise<FakeRrKv> {
    return new FakeRrKv(await GoridgeRpcServer.start(), options);
  }

  get address(): string {
    return this.server.address;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The raw entry of a key, expired or not (for assertions). */
  entry(storage: string, key: string): Entry | undefined {
    return this.storages.get(storage)?.entries.get(key);
  }

  /** The calls made with this method (`Set`, `MGet`...). */
  callsOf(method: string) {
    return this.calls.filter((call) => call.method === method);
  }

  private handle(request: RpcRequest, method: string, op: string, run: (entries: Map<string, Entry>, driver: FakeDriver, items: KvItemMessage[]) => KvItemMessage[]): RpcReply {
    if (request.flags !== FrameFlag.CODEC_PROTO) return { error: `${op}: kv methods take kv.v1 protobuf (codec 0x80), got flags 0x${request.flags.toString(16)}` };
    const message = decodeKvRequest(request.body);
    this.calls.push({ method, storage: message.storage, keys: message.items.map((item) => item.key), timeouts: message.items.map((item) => item.timeout) });
    if (method === 'Has' && message.storage === '') return { error: `${op}: no storage provided` };
    const storage = this.storages.get(message.storage);
    if (!storage) return { error: `${op}: no such storage: ${message.storage}` };
    if (method !== 'Clear' && method !== 'MExpire' && message.items.length === 0) return { error: `${op}: no keys provided` };
    try {
      return { body: encodeKvResponse({ items: run(storage.entries, storage.driver, message.items) }) };
    } catch (error) {
      return { error: `${op}: ${(error as Error).message}` };
    }
  }

  private keysOf(items: KvItemMessage[]): string[] {
    return items.map((item) => {
      if (item.key.trim() === '') throw new Error('empty key');
      return item.key;
    });
  }

  private live(entries: Map<string, Entry>, key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private set(entries: Map<string, Entry>, driver: FakeDriver, items: KvItemMessage[]): KvItemMessage[] {
    const now = this.now();
    for (const item of items) {
      if (item.key.trim() === '') throw new Error('empty key');
      let expiresAt: number | undefined;
      if (item.timeout !== '') {
        const at = parseRfc3339(item.timeout);
        if (driver === 'memory') {
          const seconds = Math.trunc((at - now) / 1000);
          expiresAt = seconds <= 0 ? undefined : now + seconds * 1000;
        } else {
          expiresAt = at - now > 0 ? at : undefined;
        }
      }
      entries.set(item.key, { value: Uint8Array.from(item.value), expiresAt, timeout: expiresAt === undefined ? '' : item.timeout });
    }
    return [];
  }

  private mExpire(entries: Map<string, Entry>, driver: FakeDriver, items: KvItemMessage[]): KvItemMessage[] {
    const now = this.now();
    for (const item of items) {
      if (item.timeout === '' || item.key.trim() === '') throw new Error('timeout for MExpire is empty or key is empty');
      const at = parseRfc3339(item.timeout);
      const existing = this.live(entries, item.key);
      if (driver === 'memory') {
        const seconds = Math.trunc((at - now) / 1000);
        if (seconds <= 0) entries.set(item.key, { value: item.value, expiresAt: undefined, timeout: '' });
        else if (existing && existing.expiresAt !== undefined) Object.assign(existing, { expiresAt: now + seconds * 1000, timeout: item.timeout });
        // rr's memory driver: no TTL callback yet -> the item is replaced by the request's (empty) value.
        else entries.set(item.key, { value: item.value, expiresAt: now + seconds * 1000, timeout: item.timeout });
      } else if (existing) {
        if (at <= now) entries.delete(item.key);
        else Object.assign(existing, { expiresAt: at, timeout: item.timeout });
      }
    }
    return [];
  }

  private ttl(entries: Map<string, Entry>, driver: FakeDriver, items: KvItemMessage[]): KvItemMessage[] {
    return this.keysOf(items).flatMap((key) => {
      const entry = this.live(entries, key);
      if (!entry) return [];
      if (driver === 'memory') return [kvItem({ key, timeout: entry.timeout })];
      if (entry.expiresAt === undefined) return [];
      return [kvItem({ key, timeout: `${new Date(Math.floor(entry.expiresAt / 1000) * 1000).toISOString().slice(0, 19)}Z` })];
    });
  }
}

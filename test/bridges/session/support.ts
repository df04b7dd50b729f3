import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { SessionData, SessionStore } from '../../../src/bridges/session/index.js';
import { MemorySessionStore } from '../../../src/bridges/session/index.js';

/** One call a {@link SpyStore} saw. */
export interface StoreCall {
  op: 'get' | 'set' | 'destroy' | 'touch';
  id: string;
  ttl?: number;
}

/** A store that records every call before passing it to a real {@link MemorySessionStore}. */
export class SpyStore implements SessionStore {
  readonly calls: StoreCall[] = [];
  constructor(readonly inner: MemorySessionStore = new MemorySessionStore()) {}

  ops(): string[] {
    return this.calls.map((call) => call.op);
  }

  async get(id: string) {
    this.calls.push({ op: 'get', id });
    return this.inner.get(id);
  }
  async set(id: string, data: SessionData, ttl: number) {
    this.calls.push({ op: 'set', id, ttl });
    return this.inner.set(id, data, ttl);
  }
  async destroy(id: string) {
    this.calls.push({ op: 'destroy', id });
    return this.inner.destroy(id);
  }
  async touch(id: string, data: SessionData, ttl: number) {
    this.calls.push({ op: 'touch', id, ttl });
    return this.inner.touch(id, data, ttl);
  }
}

/** A GET request, with a `Cookie` header when given. */
export function requestWith(cookie?: string, url = 'http://app.test/'): Request {
  return new Request(url, cookie === undefined ? {} : { headers: { cookie } });
}

/** The `Set-Cookie` lines of a response (or headers). */
export function setCookies(target: Response | Headers): string[] {
  return (target instanceof Headers ? target : target.headers).getSetCookie();
}

/** `name=value` of a Set-Cookie line, ready to send back as a `Cookie` header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

/** The value of a Set-Cookie line. */
export function cookieValue(setCookie: string): string {
  const pair = cookiePair(setCookie);
  return pair.slice(pair.indexOf('=') + 1);
}

function localRedisClient() {
  return createClient({ url: 'redis://127.0.0.1:6379', socket: { connectTimeout: 3_000, reconnectStrategy: false } });
}

/** A client of the local Redis the connect-redis tests use. */
export type LocalRedis = ReturnType<typeof localRedisClient>;

/**
 * Connects to the Redis at 127.0.0.1:6379. These tests never skip: without Redis they fail with a
 * message saying what is missing (under CI=true too, where the CI machine must provide it).
 */
export async function connectLocalRedis(): Promise<LocalRedis> {
  const client = localRedisClient();
  client.on('error', () => {}); // failures surface through connect() and each command
  try {
    await client.connect();
  } catch (error) {
    const where = process.env['CI'] === 'true' ? 'the CI machine (CI=true)' : 'this machine';
    throw new Error(
      `Redis is needed at 127.0.0.1:6379 for the connect-redis session tests, and ${where} has none reachable ` +
        `(start one, e.g. redis-server --port 6379 --daemonize yes): ${(error as Error).message}`,
    );
  }
  return client;
}

/** Deletes every key under `prefix`, then closes the client. */
export async function dropAndClose(client: LocalRedis | undefined, prefix: string): Promise<void> {
  if (!client?.isOpen) return;
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) keys.push(...batch);
  if (keys.length > 0) await client.del(keys);
  await client.close();
}

/** A unique key prefix for one test run, so parallel runs and leftovers never collide. */
export function testPrefix(): string {
  return `rrr-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

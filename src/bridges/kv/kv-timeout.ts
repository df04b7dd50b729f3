import type { KvTtl } from './kv-ttl.js';
import { KvTtlError, type KvErrorDetails } from './errors.js';

/**
 * Slack added before rounding the expiry up to a whole second. rr's memory driver turns the
 * timestamp back into `int(seconds until then)`, truncated, and stores an item whose result is
 * `<= 0` **without any expiry** (a warning in rr's log, nothing for the client). PHP's client
 * formats `time() + ttl`, so a 1-second TTL written late in a second reaches rr less than a
 * second away and lives forever. Rounding up from `now + ttl + 0.5 s` keeps every TTL at least
 * its length (and at least 1 s) away from rr's clock even after a few hundred ms of latency; the
 * price is that an item may live up to ~1.5 s longer than asked, never shorter.
 */
const SLACK_MS = 500;
/** rr stores TTLs with second resolution; anything shorter is raised to this. */
const MIN_TTL_MS = 1000;

/**
 * The `kv.v1.Item.timeout` rr expects for a TTL: an absolute RFC 3339 timestamp in UTC with whole
 * seconds and a numeric offset, like PHP's `Y-m-d\TH:i:sP` (`2025-01-02T03:04:05+00:00`).
 *
 * - a number is seconds from `now` (fractions allowed, raised to 1 s at least);
 * - a `Date` is an absolute expiry, turned into "seconds from now" with the same rounding.
 *
 * The result is rounded up (see `SLACK_MS`): never earlier than asked, at most ~1.5 s later.
 *
 * @throws KvTtlError for NaN/infinite numbers, invalid Dates, and TTLs that are already expired
 *   (`<= 0` or a Date not after `now`): rr would store those forever.
 */
export function kvTimeout(ttl: KvTtl, now: number, details: KvErrorDetails = {}): string {
  const remainingMs = remainingMsOf(ttl, now, details);
  if (remainingMs <= 0) {
    throw new KvTtlError(`${describe(ttl)} is already expired; rr would store the item without expiry (delete it instead)`, details);
  }
  const seconds = Math.ceil((now + Math.max(remainingMs, MIN_TTL_MS) + SLACK_MS) / 1000);
  return formatRfc3339(seconds);
}

/**
 * Milliseconds from `now` until `ttl` expires: `<= 0` when it already has.
 *
 * @throws KvTtlError when `ttl` is neither a finite number nor a valid Date
 */
export function remainingMsOf(ttl: KvTtl, now: number, details: KvErrorDetails = {}): number {
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl)) throw new KvTtlError(`expected a finite number of seconds, got ${ttl}`, details);
    return ttl * 1000;
  }
  if (ttl instanceof Date) {
    const at = ttl.getTime();
    if (Number.isNaN(at)) throw new KvTtlError('expected a valid Date, got an Invalid Date', details);
    return at - now;
  }
  throw new KvTtlError(`expected seconds (a number) or an expiry Date, got ${describe(ttl)}`, details);
}

/** `2025-01-02T03:04:05+00:00` for a Unix time in seconds. */
export function formatRfc3339(unixSeconds: number): string {
  return `${new Date(unixSeconds * 1000).toISOString().slice(0, 19)}+00:00`;
}

/**
 * Reads a timeout rr returned (`kv.TTL`): `null` for `''` (no expiry), else the Date. rr's memory
 * driver echoes what was stored; the Redis driver formats Go's `time.RFC3339` (any offset).
 */
export function parseKvTimeout(timeout: string): Date | null {
  if (timeout === '') return null;
  const date = new Date(timeout);
  if (Number.isNaN(date.getTime())) throw new KvTtlError(`rr returned a timeout that is not an RFC 3339 timestamp: ${JSON.stringify(timeout)}`);
  return date;
}

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'number') return `${value} s`;
  return value === null ? 'null' : typeof value;
}

import { randomBytes } from 'node:crypto';

/** Random bytes in a session id: 192 bits, well above the 128 OWASP asks for. */
const ID_BYTES = 24;

/** What {@link generateSessionId} returns: 32 characters of base64url (24 bytes, no padding). */
const ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * A new session id from the CSPRNG: 24 random bytes as 32 url-safe characters (the same size and
 * alphabet as express-session's `uid-safe` ids), so it goes into a cookie, a Redis key or an rr KV
 * key without escaping.
 */
export function generateSessionId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/**
 * Whether `value` has the exact shape {@link generateSessionId} produces. Anything else a client
 * sends (too short, too long, other characters) is refused before it reaches a store, so it can
 * neither be adopted nor used to probe store keys.
 */
export function isValidSessionId(value: string): boolean {
  return ID_PATTERN.test(value);
}

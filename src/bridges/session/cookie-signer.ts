import { createSecretKey, type KeyObject } from 'node:crypto';
import { sign, unsign } from 'cookie-signature';
import { SessionConfigError } from './errors.js';
import { isValidSessionId } from './session-id.js';

/** Shortest secret accepted, in bytes (UTF-8): an HMAC-SHA256 key should carry at least 256 bits. */
export const MIN_SECRET_BYTES = 32;

/**
 * Signs session ids for the cookie as `ID.MAC` with the `cookie-signature` package (what
 * express-session and cookie-parser use): MAC is HMAC-SHA256(secret, ID) in base64 without padding,
 * checked in constant time.
 *
 * Ids are already 192 random bits, so a signature does not make them harder to guess; what it adds
 * is that only ids this application issued are ever looked up in the store (a forged or injected
 * id is refused without a store read), and rotating the secret logs everybody out at once.
 *
 * Rotation: the first secret signs, every secret verifies. Put a new secret first, keep the old one
 * second until the sessions it signed have expired, then drop it.
 */
export class CookieSigner {
  /** Key objects made once: with a string secret, every HMAC would import the key again (~1 us a cookie). */
  readonly #secrets: readonly KeyObject[];

  /** @throws SessionConfigError when there is no secret or one is shorter than {@link MIN_SECRET_BYTES}. */
  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : [...secrets];
    if (list.length === 0) throw new SessionConfigError('secret', 'give at least one secret, or leave the option out to send unsigned ids');
    this.#secrets = list.map((secret, index) => {
      const where = typeof secrets === 'string' ? 'secret' : `secret[${index}]`;
      if (typeof secret !== 'string') throw new SessionConfigError(where, `must be a string, got ${typeof secret}`);
      const bytes = Buffer.byteLength(secret, 'utf8');
      if (bytes < MIN_SECRET_BYTES) {
        throw new SessionConfigError(where, `must be at least ${MIN_SECRET_BYTES} bytes long, got ${bytes} (generate one with: openssl rand -base64 32)`);
      }
      return createSecretKey(Buffer.from(secret, 'utf8'));
    });
  }

  /** The cookie value for `id`. */
  sign(id: string): string {
    return sign(id, this.#secrets[0]!);
  }

  /** The id inside a signed cookie value, or `undefined` when its shape or signature is wrong. */
  unsign(value: string): string | undefined {
    // The id's shape first: what could never be ours costs no HMAC.
    const dot = value.lastIndexOf('.');
    if (dot === -1 || !isValidSessionId(value.slice(0, dot))) return undefined;
    for (const secret of this.#secrets) {
      const id = unsign(value, secret);
      if (id !== false) return id;
    }
    return undefined;
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { SessionConfigError } from './errors.js';
import { isValidSessionId } from './session-id.js';

/** Shortest secret accepted, in bytes (UTF-8): an HMAC-SHA256 key should carry at least 256 bits. */
export const MIN_SECRET_BYTES = 32;

/**
 * Signs session ids for the cookie as `ID.MAC`, MAC being base64url(HMAC-SHA256(secret, ID)).
 *
 * Ids are already 192 random bits, so a signature does not make them harder to guess; what it adds
 * is that only ids this application issued are ever looked up in the store (a forged or injected
 * id is refused without a store read), and rotating the secret logs everybody out at once.
 *
 * Rotation: the first secret signs, every secret verifies. Put a new secret first, keep the old one
 * second until the sessions it signed have expired, then drop it.
 */
export class CookieSigner {
  readonly #secrets: readonly Buffer[];

  /** @throws SessionConfigError when there is no secret or one is shorter than {@link MIN_SECRET_BYTES}. */
  constructor(secrets: string | readonly string[]) {
    const list = typeof secrets === 'string' ? [secrets] : [...secrets];
    if (list.length === 0) throw new SessionConfigError('secret', 'give at least one secret, or leave the option out to send unsigned ids');
    this.#secrets = list.map((secret, index) => {
      const where = typeof secrets === 'string' ? 'secret' : `secret[${index}]`;
      if (typeof secret !== 'string') throw new SessionConfigError(where, `must be a string, got ${typeof secret}`);
      const bytes = Buffer.from(secret, 'utf8');
      if (bytes.length < MIN_SECRET_BYTES) {
        throw new SessionConfigError(where, `must be at least ${MIN_SECRET_BYTES} bytes long, got ${bytes.length} (generate one with: openssl rand -base64 32)`);
      }
      return bytes;
    });
  }

  /** The cookie value for `id`. */
  sign(id: string): string {
    return `${id}.${mac(this.#secrets[0]!, id)}`;
  }

  /** The id inside a signed cookie value, or `undefined` when its shape or signature is wrong. */
  unsign(value: string): string | undefined {
    const dot = value.lastIndexOf('.');
    if (dot === -1) return undefined;
    const id = value.slice(0, dot);
    if (!isValidSessionId(id)) return undefined;
    const given = Buffer.from(value.slice(dot + 1), 'utf8');
    for (const secret of this.#secrets) {
      const expected = Buffer.from(mac(secret, id), 'utf8');
      // Constant time, so the signature cannot be found byte by byte from response timings.
      if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
    }
    return undefined;
  }
}

function mac(secret: Buffer, id: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url');
}

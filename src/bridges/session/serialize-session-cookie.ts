import { serialize } from 'cookie';
import type { ResolvedSessionOptions } from './session-options.js';

/** Options of {@link serializeSessionCookie}. */
export interface SessionCookieWrite {
  /** The cookie value (the id, signed or not); ignored when {@link expire} is set. */
  value: string;
  /** Whether `Secure` is written (the request's `'auto'` already decided). */
  secure: boolean;
  /** Write an already expired, empty cookie so the browser deletes it. */
  expire?: boolean;
  /** The clock, in milliseconds, for `Expires`. */
  now: number;
}

/** Ids and signatures are base64 or base64url: cookie-octets as they are, which the `Cookie` reader expects back. */
const AS_IS = (value: string) => value;

/**
 * The `Set-Cookie` header value for the session cookie, written by the `cookie` package (which
 * checks name, value, path and domain once more).
 *
 * `Max-Age` and `Expires` are both written: `Max-Age` wins where understood, `Expires` covers old
 * clients. An expired cookie must carry the same `Path` and `Domain` as the one it deletes.
 */
export function serializeSessionCookie(options: ResolvedSessionOptions, write: SessionCookieWrite): string {
  const maxAge = write.expire ? 0 : options.maxAge;
  return serialize(options.name, write.expire ? '' : write.value, {
    encode: AS_IS,
    path: options.path,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(maxAge === undefined ? {} : { maxAge, expires: new Date(maxAge === 0 ? 0 : write.now + maxAge * 1000) }),
    httpOnly: options.httpOnly,
    secure: write.secure,
    sameSite: options.sameSite === 'Strict' ? 'strict' : options.sameSite === 'Lax' ? 'lax' : 'none',
    // Browsers reject a Partitioned cookie without Secure; on plain http (development) it goes out unpartitioned.
    partitioned: options.partitioned && write.secure,
  });
}

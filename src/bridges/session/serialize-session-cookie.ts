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

/**
 * The `Set-Cookie` header value for the session cookie. Name, path and domain were validated when
 * the options were resolved, and the value is url-safe, so nothing here needs escaping.
 *
 * `Max-Age` and `Expires` are both written: `Max-Age` wins where understood, `Expires` covers old
 * clients. An expired cookie must carry the same `Path` and `Domain` as the one it deletes.
 */
export function serializeSessionCookie(options: ResolvedSessionOptions, write: SessionCookieWrite): string {
  const parts = [`${options.name}=${write.expire ? '' : write.value}`, `Path=${options.path}`];
  if (options.domain !== undefined) parts.push(`Domain=${options.domain}`);
  if (write.expire) {
    parts.push('Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  } else if (options.maxAge !== undefined) {
    parts.push(`Max-Age=${options.maxAge}`, `Expires=${new Date(write.now + options.maxAge * 1000).toUTCString()}`);
  }
  if (options.httpOnly) parts.push('HttpOnly');
  if (write.secure) parts.push('Secure');
  parts.push(`SameSite=${options.sameSite}`);
  // Browsers reject a Partitioned cookie without Secure; on plain http (development) it goes out unpartitioned.
  if (options.partitioned && write.secure) parts.push('Partitioned');
  return parts.join('; ');
}

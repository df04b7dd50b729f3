import type { HttpRequestMessage } from '../proto/http-v1.js';

/** Headers describing a body that the request mapping replaces with a rebuilt one. */
const BODY_HEADERS = new Set(['content-type', 'content-length']);

/**
 * Builds the Fetch `Headers` of an rr request. Values are rr's bytes as Latin-1 byte strings (what
 * the Fetch API and node:http use). Three corrections:
 * - `Host`, which Go keeps out of the header map, is restored from rr's URI (the Host the client
 *   or proxy sent; the corrected host is in `request.url`).
 * - `Cookie` lines are joined with `; ` (the only separator cookie parsers accept). When rr sent
 *   parsed cookies but no header (a synthetic request), the header is rebuilt from them, so a
 *   framework reading the header sees what `RequestContext.cookies` holds.
 * - With `replacesBody`, `Content-Type` and `Content-Length` are dropped: they describe rr's
 *   original body, and the Fetch `Request` sets its own for the rebuilt form (a multipart body
 *   needs its new boundary).
 */
export function headersFromMessage(message: HttpRequestMessage, host: string, replacesBody: boolean): Headers {
  const headers = new Headers();
  const cookieLines: string[] = [];
  for (const [name, values] of Object.entries(message.header)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') cookieLines.push(...values);
    else if (!(replacesBody && BODY_HEADERS.has(lower))) for (const value of values) headers.append(name, value);
  }
  if (cookieLines.length > 0) headers.set('cookie', cookieLines.join('; '));
  else {
    const pairs = Object.entries(message.cookies).flatMap(([name, values]) => values.slice(0, 1).map((value) => `${name}=${encodeURIComponent(value)}`));
    if (pairs.length > 0) headers.set('cookie', pairs.join('; '));
  }
  if (!headers.has('host') && host !== '') headers.set('host', host);
  return headers;
}

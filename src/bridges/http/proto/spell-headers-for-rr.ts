import type { ValuesMap } from './http-v1.js';

/**
 * rr's http plugin (handler/response.go, v5.3.0 and later) looks two response headers up by exact
 * key in the decoded map, before Go canonicalises anything:
 *
 * - `Trailer`: each name it lists (comma-separated, trimmed of spaces and tabs) is looked up as a
 *   key of the same map; the header found is moved behind the body (renamed `Trailer:<name>`,
 *   Go's `http.TrailerPrefix`), and `Trailer` itself is dropped;
 * - `Http2-Push`: each value is a path pushed to an HTTP/2 client (`http.Pusher`).
 *
 * Fetch's `Headers` hands us lower-case names, so rr never found either. This writes those two
 * keys as rr reads them, and rewrites each name listed in `Trailer` to the exact key the announced
 * header has in the map, which is what rr's lookup needs. Every other header is left as it is
 * (Go canonicalises them itself when it writes them). Returns `headers` itself when neither is
 * present (the usual case: nothing is copied).
 */
export function spellHeadersForRr(headers: ValuesMap): ValuesMap {
  if (!Object.keys(headers).some(isRrLookedUp)) return headers;
  const spelled = Object.create(null) as ValuesMap;
  for (const [name, values] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'http2-push') (spelled['Http2-Push'] ??= []).push(...values);
    else if (lower === 'trailer') (spelled['Trailer'] ??= []).push(...values.map((value) => announcedKeys(value, headers)));
    else spelled[name] = values;
  }
  return spelled;
}

/** Whether `name` is `Trailer` or `Http2-Push` in any case (the length test keeps the common case free of allocations). */
export function isRrLookedUp(name: string): boolean {
  if (name.length !== 7 && name.length !== 10) return false;
  const lower = name.toLowerCase();
  return lower === 'trailer' || lower === 'http2-push';
}

/** A `Trailer` value with each listed name replaced by the map key it announces (names not present keep their spelling, lower-cased). */
function announcedKeys(value: string, headers: ValuesMap): string {
  return value
    .split(',')
    .map((listed) => listed.replace(/^[\t ]+|[\t ]+$/g, ''))
    .filter((listed) => listed !== '')
    .map((listed) => {
      const lower = listed.toLowerCase();
      if (lower in headers) return lower;
      return Object.keys(headers).find((key) => key.toLowerCase() === lower) ?? lower;
    })
    .join(', ');
}

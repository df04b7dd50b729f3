import type { ValuesMap } from '../proto/http-v1.js';

/**
 * Collects a Fetch `Headers` into rr's multi-value map. Fetch joins repeated headers into one
 * comma-separated value, which is equivalent for every header but `Set-Cookie`, so each cookie
 * stays a value of its own.
 */
export function headersToMap(headers: Headers): ValuesMap {
  const map: ValuesMap = {};
  headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    (map[name] ??= []).push(value);
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) map['set-cookie'] = cookies;
  return map;
}

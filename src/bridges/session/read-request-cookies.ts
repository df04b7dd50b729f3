// Ours rather than the cookie package's parser, for a stated reason: `parseCookie` keeps one value
// per name (the first), while a browser may send several cookies of the same name (other paths,
// a parent domain) and the session adopts the first valid one; and it splits on `;` only, while
// `Headers` joins repeated Cookie lines with `, `. The `Set-Cookie` side is the cookie package's
// (serialize-session-cookie.ts).
/**
 * Every value the request's `Cookie` header holds for `name`, in order (a browser sends the
 * cookie with the most specific path first, and may send several with the same name).
 *
 * Pairs are split on `;` and also on `,`: `Headers` joins repeated header lines with `, `, and no
 * valid cookie value contains a comma (RFC 6265 cookie-octet). Values are returned raw, without
 * URL-decoding: the session cookie only ever holds url-safe characters, so anything that would
 * need decoding is not one of ours. A value in double quotes is unquoted.
 */
export function readRequestCookies(request: Request, name: string): string[] {
  const header = request.headers.get('cookie');
  if (header === null) return [];
  const values: string[] = [];
  for (const pair of header.split(/[;,]/)) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

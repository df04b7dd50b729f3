/**
 * The HTTP plumbing pieces issue 16 handed to ecosystem packages, one call each, timed in process
 * (3 passes of 100,000 calls after a warm-up; the last pass is printed): for one checkout, or for
 * two side by side (say this one and a worktree with those commits reverted, see
 * docs/performance.md, "HTTP plumbing libraries"):
 *
 *   npx tsx bench/support/plumbing-pieces.ts [CHECKOUT ...]
 *
 * Each checkout's own sources are imported (through tsx, so every number carries tsx's overhead:
 * compare columns, not absolute values).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const checkouts = process.argv.length > 2 ? process.argv.slice(2).map((dir) => resolve(dir)) : [process.cwd()];

async function piecesOf(root: string): Promise<Record<string, () => unknown>> {
  const load = (path: string) => import(pathToFileURL(`${root}/src/${path}`).href);
  const { serializeSessionCookie } = await load('bridges/session/serialize-session-cookie.ts');
  const { CookieSigner } = await load('bridges/session/cookie-signer.ts');
  const { resolveSessionOptions } = await load('bridges/session/session-options.ts');
  const { MemorySessionStore } = await load('bridges/session/memory-session-store.ts');
  const { TrustedProxies } = await load('bridges/http/request/trusted-proxies.ts');
  const { contentDisposition } = await load('bridges/http/response/content-disposition.ts');
  const { contentTypeFor } = await load('bridges/http/response/content-type-for.ts');
  const { evaluatePreconditions } = await load('bridges/http/response/evaluate-preconditions.ts');
  const options = resolveSessionOptions({ store: new MemorySessionStore(), cookie: { maxAge: 3600 } });
  const signer = new CookieSigner('bench-plumbing-secret-of-at-least-32-bytes');
  const signed = signer.sign('d5I2jQmE12dRu31WRV1zEtWoSC7svmOQ');
  const proxies = TrustedProxies.from({ trustedProxies: ['private_ranges'], trustedHeaders: ['forwarded', 'x-forwarded-for', 'x-forwarded-proto'] });
  const headers = new Headers({ forwarded: 'for=203.0.113.7;proto=https, for=10.0.0.2', 'x-forwarded-for': '203.0.113.7, 10.0.0.2', 'x-forwarded-proto': 'https' });
  const url = new URL('http://127.0.0.1:8080/export');
  const conditional = new Request('http://x/', { headers: { 'if-none-match': '"abc"', 'cache-control': 'max-age=0' } });
  return {
    'Set-Cookie line': () => serializeSessionCookie(options, { value: signed, secure: true, now: Date.now() }),
    'sign an id': () => signer.sign('d5I2jQmE12dRu31WRV1zEtWoSC7svmOQ'),
    'unsign a cookie': () => signer.unsign(signed),
    'proxies: 2 hops': () => proxies.resolve('127.0.0.1', headers, url),
    'Content-Disposition': () => contentDisposition('attachment', 'rapport-été.csv'),
    'content type': () => contentTypeFor('rapport-été.csv'),
    'If-None-Match': () => evaluatePreconditions(conditional, { etag: '"abd"', lastModified: new Date(0) }),
  };
}

const columns = await Promise.all(checkouts.map(piecesOf));
const names = Object.keys(columns[0]!);
console.log(`${'us per call'.padEnd(20)} ${checkouts.map((dir) => dir.slice(-24).padStart(24)).join(' ')}`);
for (const name of names) {
  const cells = columns.map((pieces) => {
    const call = pieces[name]!;
    let us = 0;
    for (let i = 0; i < 20_000; i++) call();
    for (let pass = 0; pass < 3; pass++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 100_000; i++) call();
      us = Number(process.hrtime.bigint() - start) / 100_000 / 1000;
    }
    return us.toFixed(2).padStart(24);
  });
  console.log(`${name.padEnd(20)} ${cells.join(' ')}`);
}

/**
 * bench:http's plumbing workloads: the HTTP plumbing issue 16 handed to ecosystem packages, on
 * every request. Both routes answer a logged-in client behind a CDN and a load balancer:
 *
 * - the peer (rr's remote_addr, 127.0.0.1) is a trusted proxy (`private_ranges`), so the client's
 *   address is found by walking `Forwarded` (forwarded-parse) and `X-Forwarded-For` through
 *   proxy-addr's trust function, and `proto=https` makes the request URL https;
 * - the session cookie is read, its signature verified (cookie-signature) and the session loaded;
 *   `rolling` writes the cookie again (the cookie package's serialize) on every response.
 *
 * `GET /report` then sends a 2 KiB CSV with `fileResponse`: an ETag (etag) and the conditional GET
 * (fresh). bench/http.ts sends the current ETag in `If-None-Match` on every other request (304) and
 * an old one on the others (200, with the Content-Type from mime-types and a Content-Disposition for
 * a non-ASCII file name from content-disposition). Opening and reading the file costs far more than
 * all of that (libuv's thread pool, 3-4 hops a request), so `GET /export` answers the same CSV built
 * in memory, with the same two headers from the public helpers: the route whose ratio shows the
 * request side and the session.
 *
 * The memory store stands in for a shared one (Redis...): every worker seeds it at boot with the
 * same logged-in session, so whichever worker rr picks knows the cookie and no store round trip
 * blurs the plumbing. `GET /login` answers that session's signed cookie. The file is named by
 * BENCH_PLUMBING_FILE (written once by bench/http.ts, so every worker sends the same ETag).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Controller, createContainer, defineApp, fileResponse, Get, HTTP_KERNEL, httpMode, httpRequestBinding, Inject,
  REQUEST_CONTEXT, requestContextBinding, RouterKernel, Service, type RequestContext,
} from '../../src/index.js';
import { contentDisposition, contentTypeFor } from '../../src/bridges/http/index.js';
import { CookieSigner, MemorySessionStore, Session, sessionBindings } from '../../src/bridges/session/index.js';

const REPORT = process.env.BENCH_PLUMBING_FILE;
if (!REPORT) throw new Error('plumbing-app: set BENCH_PLUMBING_FILE to the file GET /report sends');
const EXPORT = readFileSync(REPORT);

const SECRET = 'bench-plumbing-secret-of-at-least-32-bytes';
const COOKIE = 'sid';
const TTL_S = 3600;
// The same id in every worker; the shape generateSessionId gives (24 bytes, base64url).
const SESSION_ID = createHash('sha256').update(SECRET).digest().subarray(0, 24).toString('base64url');

const store = new MemorySessionStore();
await store.set(SESSION_ID, { user: 'bench', roles: ['reader'] }, TTL_S);

@Controller('/')
@Service({ scope: 'request' })
class ReportController {
  constructor(
    @Inject(Session) private readonly session: Session,
    @Inject(REQUEST_CONTEXT) private readonly context: RequestContext,
  ) {}

  /** The seeded session's cookie, as a login would have set it. */
  @Get('/login')
  login() {
    const value = new CookieSigner(SECRET).sign(SESSION_ID);
    return new Response(null, { status: 204, headers: { 'set-cookie': `${COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=Lax` } });
  }

  @Get('/report')
  async report(request: Request) {
    const user = await this.session.get<string>('user');
    if (user === undefined) return new Response('log in first', { status: 401 });
    return fileResponse(REPORT!, {
      request,
      filename: `rapport-${user}-été.csv`,
      // What an audit line would record; bench/http.ts checks it once.
      headers: { 'x-client-address': this.context.clientAddress },
    });
  }

  @Get('/export')
  async export() {
    const user = await this.session.get<string>('user');
    if (user === undefined) return new Response('log in first', { status: 401 });
    const filename = `rapport-${user}-été.csv`;
    return new Response(EXPORT, {
      headers: {
        'content-type': contentTypeFor(filename),
        'content-disposition': contentDisposition('attachment', filename),
        'x-client-address': this.context.clientAddress,
      },
    });
  }
}

/** `GET /`: what the bench's rr start-up waits for. */
@Controller('/')
@Service()
class HealthController {
  @Get('/')
  health() {
    return new Response('ok');
  }
}

const container = createContainer({
  services: [ReportController, HealthController],
  bindings: [
    httpRequestBinding,
    requestContextBinding,
    ...sessionBindings({ factory: { store, secret: SECRET, rolling: true, ttl: TTL_S, cookie: { name: COOKIE, maxAge: TTL_S } } }),
    { id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [ReportController, HealthController] }) },
  ],
});

export default defineApp({
  modes: {
    http: httpMode({
      container,
      lazyBoot: false,
      request: { trustedProxies: ['private_ranges'], trustedHeaders: ['forwarded', 'x-forwarded-for', 'x-forwarded-proto'] },
    }),
  },
});

/**
 * Sessions for RoadRunner workers: each request's session is built from that request's cookie
 * alone, loaded lazily from a shared store, and written back by `commit`, so a long-lived worker
 * never carries one user's session into another user's request (the bug PHP workers are known
 * for). Under `httpMode`, `sessionBindings()` commits every session a request used onto its
 * response by itself (`autoCommit`, see docs/sessions.md): no listener to write.
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * import { createClient } from 'redis';
 * import { defineApp } from 'roadrunner-runtime';
 * import { createContainer, Inject, Service } from 'roadrunner-runtime/container';
 * import { Controller, Get, Post, HTTP_KERNEL, httpMode, httpRequestBinding, RouterKernel } from 'roadrunner-runtime/http';
 * import { ExpressStoreAdapter, Session, sessionBindings } from 'roadrunner-runtime/session';
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 *
 * @Service({ scope: 'request' })
 * @Controller()
 * class AccountController {
 *   constructor(@Inject(Session) private readonly session: Session) {}
 *
 *   @Post('/login')
 *   async login(request: Request) {
 *     const { user } = await request.json();
 *     await this.session.regenerate(); // a new id for the new privilege level
 *     await this.session.set('user', user);
 *     return Response.redirect(new URL('/me', request.url), 303);
 *   }
 *
 *   @Get('/me')
 *   async me() {
 *     return Response.json({ user: (await this.session.get('user')) ?? null });
 *   }
 *
 *   @Post('/logout')
 *   async logout() {
 *     await this.session.destroy(); // deleted from the store, cookie expired
 *     return new Response(null, { status: 204 });
 *   }
 * }
 *
 * const container = createContainer({
 *   services: [AccountController],
 *   bindings: [
 *     httpRequestBinding,
 *     ...sessionBindings({
 *       factory: {
 *         store: new ExpressStoreAdapter(new RedisStore({ client, prefix: 'sess:' })),
 *         secret: process.env.SESSION_SECRET, // optional: HMAC-signed ids, >= 32 bytes
 *         cookie: { secure: 'auto', sameSite: 'Lax', maxAge: 14 * 86400 },
 *         rolling: true,
 *       },
 *     }), // also commits each session a request used onto its response: save + Set-Cookie
 *     { id: HTTP_KERNEL, useValue: new RouterKernel({ controllers: [AccountController] }) },
 *   ],
 * });
 * export default defineApp({ modes: { http: httpMode({ container }) } });
 * ```
 *
 * Without the container, `withSession(factory, handler)` wraps any Fetch handler, and
 * `factory.create(request)` + `session.commit(response)` work anywhere. Change the session before
 * returning the response: once it is committed (before the head goes out, streamed bodies
 * included), further changes throw `SessionCommittedError`.
 *
 * Data is JSON: `set` refuses values that would not come back unchanged (`Date`, `Map`,
 * `undefined`, `NaN`, class instances, cycles) with a `SessionDataError`.
 *
 * @module
 */
export { Session } from './session.js';
export { SessionStorageFactory } from './session-storage-factory.js';
export type { ResolvedSessionOptions, SameSite, SessionCookieOptions, SessionCreateOptions, SessionOptions } from './session-options.js';
export type { SessionStore } from './session-store.js';
export type { JsonValue, SessionData } from './session-data.js';
export { MemorySessionStore, type MemorySessionStoreOptions } from './memory-session-store.js';
export {
  ExpressStoreAdapter,
  type ExpressSessionCookie,
  type ExpressSessionRecord,
  type ExpressSessionStoreLike,
  type ExpressStoreAdapterOptions,
  type ExpressStoreCallback,
} from './express-store-adapter.js';
export { CookieSigner, MIN_SECRET_BYTES } from './cookie-signer.js';
export { generateSessionId, isValidSessionId } from './session-id.js';
export { SESSION, SESSION_AUTO_COMMIT, SESSION_STORAGE_FACTORY, sessionBindings, type SessionBindingsOptions } from './session-bindings.js';
export { SessionAutoCommit } from './session-auto-commit.js';
export { commitSession } from './commit-session.js';
export { withSession } from './with-session.js';
export {
  SessionCommittedError,
  SessionConfigError,
  SessionDataError,
  SessionError,
  SessionNotLoadedError,
  SessionStoreError,
} from './errors.js';

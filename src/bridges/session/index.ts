/**
 * Sessions for RoadRunner workers: each request's session is built from that request's cookie
 * alone, loaded lazily from a shared store, and written back with an explicit `commit`, so a
 * long-lived worker never carries one user's session into another user's request (the bug PHP
 * workers are known for).
 *
 * ```ts
 * import { RedisStore } from 'connect-redis';
 * import { createClient } from 'redis';
 * import { defineApp, EventDispatcher } from 'roadrunner-runtime';
 * import { createContainer, Inject, Service } from 'roadrunner-runtime/container';
 * import { Controller, Get, Post, HTTP_KERNEL, httpMode, httpRequestBinding, HttpResponseEvent, RouterKernel } from 'roadrunner-runtime/http';
 * import { commitSession, ExpressStoreAdapter, Session, sessionBindings } from 'roadrunner-runtime/session';
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
 * const events = new EventDispatcher();
 * events.addListener(HttpResponseEvent, async (event) => {
 *   event.response = await commitSession(event.scope, event.response); // save + Set-Cookie
 * });
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
 *     }),
 *     { id: HTTP_KERNEL, useValue: new RouterKernel({ controllers: [AccountController], events }) },
 *   ],
 * });
 * export default defineApp({ modes: { http: httpMode({ container }) } });
 * ```
 *
 * Without the container, `withSession(factory, handler)` wraps any Fetch handler, and
 * `factory.create(request)` + `session.commit(response)` work anywhere.
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
export { SESSION, SESSION_STORAGE_FACTORY, sessionBindings, type SessionBindingsOptions } from './session-bindings.js';
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

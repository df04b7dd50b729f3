import type { Session } from './session.js';
import type { SessionStorageFactory } from './session-storage-factory.js';

/**
 * Wraps a Fetch handler so it receives the request's session, committed onto the response it
 * returns. If the handler throws, nothing is committed: changes made by a failed request are not
 * saved (only `regenerate`/`destroy`, which act on the store at once, have happened).
 *
 * ```ts
 * const handler = withSession(sessions, async (request, session) => {
 *   const visits = ((await session.get<number>('visits')) ?? 0) + 1;
 *   await session.set('visits', visits);
 *   return new Response(`visit #${visits}`);
 * });
 * createHttpHandler(handler);
 * ```
 */
export function withSession<Rest extends unknown[]>(
  sessions: SessionStorageFactory,
  handler: (request: Request, session: Session, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    const session = sessions.create(request);
    return session.commit(await handler(request, session, ...rest));
  };
}

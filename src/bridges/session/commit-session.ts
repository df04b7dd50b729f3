import type { Resolver } from '../../container/index.js';
import { SESSION } from './session-bindings.js';

/**
 * Commits the session of the request scope `scope` onto `response` (see `Session.commit`); returns
 * the response to send. Resolving the session only parses the cookie, so calling this on every
 * response is cheap, and a request that never used its session gets no `Set-Cookie`.
 *
 * Under `httpMode` with `sessionBindings()` this already happens by itself (`autoCommit`); call it
 * when you turned that off, or to commit earlier than the end of the request (a commit is final:
 * the automatic one then changes nothing). With `RouterKernel`, from a response listener:
 *
 * ```ts
 * events.addListener(HttpResponseEvent, async (event) => {
 *   event.response = await commitSession(event.scope, event.response);
 * });
 * ```
 */
export async function commitSession(scope: Resolver, response: Response): Promise<Response> {
  return scope.get(SESSION).commit(response);
}

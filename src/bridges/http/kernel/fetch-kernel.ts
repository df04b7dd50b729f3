import type { RequestScope } from '../../../container/index.js';
import type { Kernel } from '../../../runtime/kernel.js';

/** Anything with a Fetch entry point: a Hono app, an itty-router, a Remix/Next request handler. */
export interface Fetchable {
  fetch(request: Request, ...rest: never[]): Response | Promise<Response>;
}

/**
 * Mounts a Fetch application (a Hono app, ...) as the HTTP kernel. Inside the app,
 * `currentScope()` is the request's scope, so handlers can resolve request-scoped services.
 *
 * ```ts
 * const app = new Hono().get('/', (c) => c.text('hi'));
 * bindings: [{ id: HTTP_KERNEL, useValue: fetchKernel(app) }]
 * ```
 */
export function fetchKernel(app: Fetchable, hooks: { boot?: () => Promise<void>; shutdown?: () => Promise<void> } = {}): Kernel<RequestScope> {
  return {
    boot: hooks.boot ?? (async () => {}),
    handle: async (request) => app.fetch(request),
    ...(hooks.shutdown ? { shutdown: hooks.shutdown } : {}),
  };
}

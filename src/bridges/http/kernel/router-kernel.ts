import Router from 'find-my-way';
import { describeId, type AbstractNewable, type RequestScope } from '../../../container/index.js';
import type { EventDispatcher } from '../../../runtime/events/event-dispatcher.js';
import type { Kernel } from '../../../runtime/kernel.js';
import { HttpKernelConfigError, InvalidControllerResultError } from '../errors.js';
import { getControllerMetadata, type HttpMethod } from './controller.js';
import { HttpExceptionEvent, HttpRequestEvent, HttpResponseEvent, HttpTerminateEvent } from './http-events.js';
import { takeParsedUrl } from '../request/lazy-request.js';

/** What a controller method receives besides the request. */
export interface RouteContext {
  /** Path parameters (`/users/:id` → `{ id }`), already URL-decoded. */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The request's URL, parsed once. */
  readonly url: URL;
  /** The request scope: resolve request-scoped services from it. */
  readonly scope: RequestScope;
}

/** A controller method. */
export type RouteHandler = (request: Request, context: RouteContext) => Response | Promise<Response>;

/** Options of {@link RouterKernel}. */
export interface RouterKernelOptions {
  /** Classes decorated with `@Controller`; each must also be registered in the container. */
  controllers: readonly AbstractNewable[];
  /** Receives the request, response, exception and terminate events. */
  events?: EventDispatcher;
  /** Treat `/a/` like `/a`. Default true. */
  ignoreTrailingSlash?: boolean;
  /** Match paths case-sensitively. Default true. */
  caseSensitive?: boolean;
}

interface RouteTarget {
  controller: AbstractNewable;
  method: string;
}

/**
 * The default HTTP kernel: routes with find-my-way (Fastify's router) to `@Controller` classes
 * resolved from the request scope, and emits {@link HttpRequestEvent}, {@link HttpResponseEvent},
 * {@link HttpExceptionEvent} and {@link HttpTerminateEvent}. The route table is built in
 * {@link boot}, which is what early router initialization warms up.
 */
export class RouterKernel implements Kernel<RequestScope> {
  readonly #options: RouterKernelOptions;
  #router: Router.Instance<Router.HTTPVersion.V1> | undefined;

  constructor(options: RouterKernelOptions) {
    this.#options = options;
  }

  get booted(): boolean {
    return this.#router !== undefined;
  }

  async boot(): Promise<void> {
    if (this.#router) return;
    const router = Router({
      ignoreTrailingSlash: this.#options.ignoreTrailingSlash ?? true,
      caseSensitive: this.#options.caseSensitive ?? true,
    });
    for (const controller of this.#options.controllers) {
      const metadata = getControllerMetadata(controller);
      if (!metadata) throw new HttpKernelConfigError(`${describeId(controller)} is listed as a controller but has no @Controller() decorator`);
      if (metadata.routes.length === 0) throw new HttpKernelConfigError(`controller ${describeId(controller)} declares no routes (@Get, @Post, @Route...)`);
      for (const route of metadata.routes) {
        if (typeof (controller.prototype as Record<string, unknown>)[route.handler] !== 'function') {
          throw new HttpKernelConfigError(`${describeId(controller)}.${route.handler} is routed but is not a method`);
        }
        const path = joinPath(metadata.prefix, route.path);
        const target: RouteTarget = { controller, method: route.handler };
        try {
          router.on([...route.methods], path, noop, target);
        } catch (error) {
          throw new HttpKernelConfigError(`cannot route ${route.methods.join('|')} ${path} to ${describeId(controller)}.${route.handler}: ${(error as Error).message}`);
        }
      }
    }
    this.#router = router;
  }

  handle(request: Request, scope: RequestScope): Promise<Response> {
    // Without events (and once booted) the route's own promise is the answer: no async frame,
    // no awaits per request.
    if (this.#router && !this.#options.events) return this.#route(request, scope);
    return this.#handleWithEvents(request, scope);
  }

  async #handleWithEvents(request: Request, scope: RequestScope): Promise<Response> {
    if (!this.#router) await this.boot();
    const events = this.#options.events;
    try {
      if (events) {
        const event = await events.dispatch(new HttpRequestEvent(request, scope));
        if (event.response) return await this.#respond(request, event.response, scope);
      }
      return await this.#respond(request, await this.#route(request, scope), scope);
    } catch (error) {
      if (!events) throw error;
      const event = await events.dispatch(new HttpExceptionEvent(request, error, scope));
      if (!event.response) throw error;
      return event.response;
    }
  }

  terminate(request: Request, response: Response, scope: RequestScope): Promise<void> {
    const events = this.#options.events;
    if (!events) return RESOLVED;
    return events.dispatch(new HttpTerminateEvent(request, response, scope)).then(noop);
  }

  /** The controller's response; a rejection (never a throw) when routing or the controller fails. */
  #route(request: Request, scope: RequestScope): Promise<Response> {
    try {
      const routed = this.#routed(request, scope);
      return routed instanceof Response ? Promise.resolve(routed) : routed;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Synchronous while the controller is. */
  #routed(request: Request, scope: RequestScope): Response | Promise<Response> {
    const router = this.#router!;
    const url = takeParsedUrl(request) ?? new URL(request.url);
    const method = request.method.toUpperCase() as HttpMethod;
    const found = router.find(method, url.pathname);
    if (!found) {
      const allowed = ALL_METHODS.filter((candidate) => candidate !== method && router.find(candidate, url.pathname));
      if (allowed.length > 0) return new Response('Method Not Allowed\n', { status: 405, headers: { allow: allowed.join(', ') } });
      return new Response('Not Found\n', { status: 404 });
    }
    const target = found.store as RouteTarget;
    const controller = scope.get(target.controller) as Record<string, RouteHandler>;
    const params = Object.fromEntries(Object.entries(found.params).map(([key, value]) => [key, value]));
    const result: unknown = controller[target.method]!.call(controller, request, { params, url, scope });
    const checked = (settled: unknown): Response => {
      if (!(settled instanceof Response)) throw new InvalidControllerResultError(describeId(target.controller), target.method, settled);
      return settled;
    };
    return isThenable(result) ? Promise.resolve(result).then(checked) : checked(result);
  }

  async #respond(request: Request, response: Response, scope: RequestScope): Promise<Response> {
    const events = this.#options.events;
    if (!events) return response;
    const event = await events.dispatch(new HttpResponseEvent(request, response, scope));
    return event.response;
  }
}

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function noop(): void {}

const RESOLVED = Promise.resolve();

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

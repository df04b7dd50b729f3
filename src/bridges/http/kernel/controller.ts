import type { AbstractNewable } from '../../../container/index.js';

/** HTTP methods a route can answer. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One route declared on a controller method. */
export interface RouteMetadata {
  readonly methods: readonly HttpMethod[];
  /** find-my-way path syntax: `/users/:id`, `/files/*`. */
  readonly path: string;
  /** Name of the controller method that answers. */
  readonly handler: string;
}

/** A controller class with its prefix and routes, as `@Controller` and the route decorators recorded them. */
export interface ControllerMetadata {
  readonly prefix: string;
  readonly routes: readonly RouteMetadata[];
}

// Symbol.for: two copies of this package in one app still read each other's metadata.
const ROUTES = Symbol.for('roadrunner-runtime.http.routes');
const PREFIX = Symbol.for('roadrunner-runtime.http.controller');

type WithMetadata = { [ROUTES]?: RouteMetadata[]; [PREFIX]?: string };

/**
 * Marks a class as a controller whose methods answer routes under `prefix`. Register the class as
 * a service too (`@Service({ scope: 'request' })` is usual): the kernel resolves it from the
 * request scope, so its constructor can inject request-scoped services.
 */
export function Controller(prefix = ''): ClassDecorator {
  return (target) => {
    (target as unknown as WithMetadata)[PREFIX] = prefix;
  };
}

/** Declares that a controller method answers `methods` on `path` (relative to the controller prefix). */
export function Route(methods: HttpMethod | readonly HttpMethod[], path: string): MethodDecorator {
  return (prototype, handler) => {
    if (typeof handler !== 'string') throw new TypeError('@Route needs a method with a string name');
    const target = prototype.constructor as unknown as WithMetadata;
    const own = Object.prototype.hasOwnProperty.call(target, ROUTES) ? target[ROUTES]! : (target[ROUTES] = []);
    own.push({ methods: typeof methods === 'string' ? [methods] : [...methods], path, handler });
  };
}

export const Get = (path: string) => Route('GET', path);
export const Post = (path: string) => Route('POST', path);
export const Put = (path: string) => Route('PUT', path);
export const Patch = (path: string) => Route('PATCH', path);
export const Delete = (path: string) => Route('DELETE', path);

/** What `@Controller` and the route decorators recorded on `controller`, or `undefined` if it is not one. */
export function getControllerMetadata(controller: AbstractNewable): ControllerMetadata | undefined {
  const target = controller as unknown as WithMetadata;
  if (!Object.prototype.hasOwnProperty.call(target, PREFIX)) return undefined;
  return { prefix: target[PREFIX]!, routes: Object.prototype.hasOwnProperty.call(target, ROUTES) ? [...target[ROUTES]!] : [] };
}

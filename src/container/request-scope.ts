import type { Resolver } from './resolver.js';
import type { ServiceId } from './service-id.js';
import type { SETTLED } from './settled.js';

/**
 * One unit of work (an HTTP request, a job, a message): request-scoped services are built here,
 * lazily, and shared within the scope; singletons and transients come from the root container.
 * Creating a scope allocates one small object; nothing else happens until something
 * request-scoped is resolved.
 */
export interface RequestScope extends Resolver, AsyncDisposable {
  /**
   * Supplies this unit's value for a `fromScope` id (or replaces a request-scoped service in this
   * scope only). Refused once that id was resolved here, and for singletons and transients.
   */
  provide<T>(id: ServiceId<T>, value: T): this;
  /**
   * The instance this scope already holds for `id` (built here or provided), or `undefined`.
   * Never builds anything: for end-of-unit hooks that act only on what the unit used (the
   * session bridge commits a session only when the request resolved it).
   */
  peek<T>(id: ServiceId<T>): T | undefined;
  /** Runs `fn` with this scope as {@link currentScope} for everything it calls, awaited or not. */
  run<R>(fn: () => R): R;
  /**
   * Disposes, newest first, every instance this scope built (not values it was given): each
   * `Symbol.asyncDispose`, `Symbol.dispose` or `dispose()` runs even if another throws, then a
   * `DisposalError` lists the failures. Idempotent; the scope refuses further use. Returns
   * {@link SETTLED} when there was nothing to dispose.
   */
  dispose(): Promise<void>;
  /** True once {@link dispose} was called. */
  readonly disposed: boolean;
}

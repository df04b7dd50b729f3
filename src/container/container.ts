import type { Override, OverrideHandle } from './override.js';
import type { RequestScope } from './request-scope.js';
import type { Resettable } from './resettable.js';
import type { Resolver } from './resolver.js';
import type { ServiceId } from './service-id.js';

/** Values a new scope starts with: `[id, value]` pairs for `fromScope` ids. */
export type ScopeValues = Iterable<readonly [ServiceId, unknown]>;

/**
 * The root container: singletons and transients (built by the vendor adapter), the validated graph,
 * and the factory for {@link RequestScope}s. Made by `createContainer()`, which has already checked
 * the graph (missing dependencies, cycles, captive dependencies).
 */
export interface Container extends Resolver, AsyncDisposable {
  /** The vendor container building singletons and transients: `inversify` or `tsyringe`. */
  readonly adapter: string;
  /**
   * Singletons created so far that were declared {@link Resettable}, oldest first: what
   * `ServicesResetter` resets. Services never created are absent, so nothing is built to be reset.
   */
  readonly resettable: ReadonlyMap<ServiceId, Resettable>;
  /**
   * Every id declared Resettable (`@Service({ resettable: true })`, `resettable: true` on a
   * binding or override), created or not, in registration order: what may ever be reset.
   */
  resettableIds(): ServiceId[];
  /**
   * Creates every singleton from the root, so a constructor that fails does so at boot rather
   * than in the first request. Idempotent. Resolving before `boot()` works too (lazily).
   */
  boot(): void;
  /** Opens a scope for one unit of work, with its `fromScope` values. */
  createScope(values?: ScopeValues): RequestScope;
  /**
   * Replaces the service registered as `id` (for a test) until the handle's `restore()`: cached
   * instances of it and of every singleton depending on it are set aside and rebuilt on demand,
   * then put back by `restore()`. Scopes that already built an instance keep theirs.
   */
  override<T>(id: ServiceId<T>, replacement: Override<T>): OverrideHandle;
  /** Restores every active override, newest first (for `afterEach`). */
  restoreOverrides(): void;
  /**
   * Restores overrides, then disposes every singleton the container built, newest first; see
   * `RequestScope.dispose` for the rules. Idempotent.
   */
  dispose(): Promise<void>;
}

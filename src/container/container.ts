import type { Override, OverrideHandle } from './override.js';
import type { RequestScope } from './request-scope.js';
import type { Resettable } from './resettable.js';
import type { Resolver } from './resolver.js';
import type { ServiceDescription } from './service-description.js';
import type { ServiceId } from './service-id.js';

/** A native service the graph checks cannot see into; see {@link Container.uncheckedServices}. */
export interface UncheckedService {
  readonly id: ServiceId;
  /** How it is registered: `inversify toDynamicValue`, `tsyringe useFactory`... */
  readonly registration: string;
}

/** Values a new scope starts with: `[id, value]` pairs for `fromScope` ids. */
export type ScopeValues = Iterable<readonly [ServiceId, unknown]>;

/**
 * The root container: singletons and transients (built by the vendor adapter), the validated graph,
 * and the factory for {@link RequestScope}s. Made by `createContainer()`, which has already checked
 * the graph (missing dependencies, cycles, captive dependencies).
 */
export interface Container extends Resolver, AsyncDisposable {
  /**
   * The vendor container building singletons, transients and the services registered natively in
   * it: `inversify` or `tsyringe`.
   */
  readonly adapter: string;
  /**
   * Whether `scope.run()` makes the scope `currentScope()`'s answer across awaits
   * (`createContainer({ asyncContext })`, default true).
   */
  readonly asyncContext: boolean;
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
   * Services registered natively in the vendor container whose dependencies the captive-dependency
   * check at `createContainer()` cannot see, because only running them would tell (inversify
   * `toDynamicValue` / `toFactory`, tsyringe `useFactory`). Their chains are still checked as they
   * are built: a singleton that reaches a request-scoped service then throws
   * `CaptiveDependencyError`. Everything else was checked before anything was built.
   */
  uncheckedServices(): UncheckedService[];
  /**
   * Every registered service in registration order (overrides applied): id, aliases, scope,
   * visibility, tags, declared Resettable, and whether the root has built it. Builds nothing; what
   * `roadrunner-runtime debug:container` prints.
   */
  describeServices(): ServiceDescription[];
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

import type { Dependency } from './dependency.js';
import type { Newable, ServiceId, Tag } from './service-id.js';

/**
 * How long one instance lives.
 * - `singleton`: one per container, created from the root (at `boot()` or first use).
 * - `request`: one per {@link RequestScope} (an HTTP request, a job, a message), built lazily.
 * - `transient`: a new instance each time it is resolved or injected.
 */
export type ServiceScope = 'singleton' | 'request' | 'transient';

/** Fields every binding shares. */
export interface BindingBase<T> {
  /** The id the service is resolved and injected by. */
  id: ServiceId<T>;
  /** Tags, for `getTagged(tag)` (event listeners and the like). */
  tags?: readonly Tag[];
  /** `false`: the service can only be injected, `get(id)` refuses it. Default `true`. */
  public?: boolean;
}

/** Declares the bound singleton Resettable; see `ServiceOptions.resettable`. */
export interface ResettableOption {
  /** Reset the instance after every unit of work (it must have a `reset()` method). Default `false`. */
  resettable?: boolean;
}

/** A ready-made object, a singleton. The container does not dispose it: whoever made it owns it. */
export interface ValueBinding<T> extends BindingBase<T>, ResettableOption {
  useValue: T;
}

/**
 * A class built by the container; its constructor parameters carry `@Inject`. `resettable` defaults
 * to the class's `@Service({ resettable })`.
 */
export interface ClassBinding<T> extends BindingBase<T>, ResettableOption {
  useClass: Newable<T>;
  /** Default: the class's `@Service({ scope })`, else `singleton`. */
  scope?: ServiceScope;
}

/** A function called with the resolved `inject` list. */
export interface FactoryBinding<T> extends BindingBase<T>, ResettableOption {
  useFactory: (...deps: any[]) => T;
  /** Dependencies passed to `useFactory`, in order; wrap one in `optional()` to allow it missing. */
  inject?: readonly Dependency[];
  /** Default `singleton`. */
  scope?: ServiceScope;
}

/** Another id for an existing service: resolves to the very same instance. */
export interface AliasBinding<T> extends Omit<BindingBase<T>, 'tags'> {
  useExisting: ServiceId<T>;
}

/**
 * A request-scoped id whose value each scope supplies itself (the HTTP request, the job...):
 * `container.createScope([[id, value]])` or `scope.provide(id, value)`. Declaring it lets services
 * inject it and lets the captive-dependency check see it.
 */
export interface ScopeValueBinding<T> extends BindingBase<T> {
  fromScope: true;
}

/** One explicit registration for `createContainer({ bindings })`. */
export type Binding<T = unknown> =
  | ValueBinding<T>
  | ClassBinding<T>
  | FactoryBinding<T>
  | AliasBinding<T>
  | ScopeValueBinding<T>;

/**
 * The part of a vendor DI container the root container uses.
 *
 * The required members build our own singletons and transients: request-scoped services of ours
 * never reach the vendor (scopes build them), aliases are resolved before (the vendor only sees
 * canonical keys), and the recipe is always a function of the resolved dependencies, so both
 * vendors behave the same.
 *
 * The optional members make the vendor a real engine: they adopt the registrations a user made
 * natively in their own inversify or tsyringe container ({@link NativeService}), resolve them
 * inside our units of work ({@link VendorUnit}), and let vendor-built services inject our
 * request-scoped ids. An adapter without them serves our own registrations only.
 */
export interface ContainerAdapter {
  /** Shown in diagnostics and benchmarks: `inversify`, `tsyringe`. */
  readonly name: string;
  /**
   * Registers the recipe for `binding.key`, replacing any earlier one (ours, or the vendor-native
   * registration under that key) together with its cached instance. Must not dispose the replaced
   * instance: overrides put it back later.
   */
  bind(binding: AdapterBinding): void;
  /** Returns the instance for `key` resolved from the root (a cached singleton, or a new transient). */
  get(key: AdapterKey): unknown;
  /** Drops our registrations (never the user's own container); the root container has already run disposers. */
  dispose(): void | Promise<void>;
  /**
   * Called once, before anything else: returns the registrations the user made natively in the
   * vendor container they handed in (none when the adapter made its own), and receives the host's
   * callbacks.
   */
  adopt?(host: AdapterHost): readonly NativeService[];
  /**
   * A native service the vendor would build although nothing registered it, because a native
   * service depends on `key` (tsyringe constructs unregistered classes; inversify with `autobind`
   * binds them). `undefined`: the vendor would fail, so the dependency is missing.
   */
  describeImplicit?(key: AdapterKey): NativeService | undefined;
  /**
   * Makes the request-scoped `key` resolvable by vendor-built services: inside a unit of work it
   * resolves through that unit's {@link UnitOwner}; from the root it throws `ScopeRequiredError`.
   * Called for every request-scoped id, ours and native. Idempotent.
   */
  bindScoped?(key: AdapterKey): void;
  /**
   * Opens the vendor side of one unit of work, the first time the unit needs it (a native
   * request-scoped service, or a native transient that may reach one).
   */
  openUnit?(owner: UnitOwner): VendorUnit;
  /**
   * Builds a fresh instance of a native service from its original registration, its dependencies
   * resolved from the root through our layer (so overrides apply): how an override rebuilds the
   * native singletons that depended on the overridden id.
   */
  createNative?(key: AdapterKey): unknown;
}

/** A canonical service id as vendors take it. */
export type AdapterKey = string | symbol | (abstract new (...args: any[]) => unknown);

/** One dependency the vendor resolves before calling {@link AdapterBinding.create}. */
export interface AdapterDependency {
  readonly key: AdapterKey;
  /** Pass `undefined` when nothing is registered as `key`. */
  readonly optional: boolean;
}

/** A singleton or transient recipe. */
export interface AdapterBinding {
  readonly key: AdapterKey;
  /** `singleton`: build once and cache; `transient`: build on every resolution. */
  readonly lifetime: 'singleton' | 'transient';
  readonly deps: readonly AdapterDependency[];
  /** Builds the instance from the resolved `deps`, in order. */
  create(...deps: unknown[]): unknown;
}

/** What the root container offers an adapter that adopts native registrations. */
export interface AdapterHost {
  /** A native singleton was just built by the vendor (in creation order). */
  created(key: AdapterKey, instance: unknown): void;
  /**
   * The unit of work whose code is running now, for vendor code that resolves a request-scoped id
   * later, outside a resolution we started (an inversify factory called from a handler).
   */
  currentUnit(): UnitOwner | undefined;
}

/** One unit of work as the vendor sees it: resolves a canonical key the unit's way. */
export interface UnitOwner {
  resolveKey(key: AdapterKey): unknown;
}

/** The vendor side of one unit of work. */
export interface VendorUnit {
  /**
   * Builds a native service for this unit: a request-scoped one (fresh, from its own registration:
   * the caller caches it for the unit) or a transient that may reach one.
   */
  get(key: AdapterKey): unknown;
}

/** A registration the user made natively in their vendor container, as the vendor will build it. */
export interface NativeService {
  readonly key: AdapterKey;
  /** `request` is inversify's request scope and tsyringe's `ContainerScoped`: one per unit of work. */
  readonly lifetime: 'singleton' | 'transient' | 'request';
  /** How it is registered, for messages: `inversify toDynamicValue`, `tsyringe useClass`. */
  readonly registration: string;
  /**
   * The ids the vendor will resolve to build it, when its registration declares them (a class's
   * injection metadata, `toResolvedValue`'s list, an alias target); `undefined` when only running
   * it would tell (dynamic values, factories): the captive-dependency check cannot see those.
   */
  readonly deps: readonly NativeDependency[] | undefined;
  /** Built by the vendor (so ours to dispose), rather than a value or an alias handed in. */
  readonly owned: boolean;
  /**
   * Several registrations under one id, for the vendor's multi-injection: resolved as the vendor's
   * own `get()` resolves them (inversify refuses the ambiguity), never built by `boot()`, their
   * instances left to the vendor.
   */
  readonly multiple?: boolean | undefined;
}

/** One dependency of a {@link NativeService}. */
export interface NativeDependency {
  readonly key: AdapterKey;
  readonly optional: boolean;
  /** Where it is declared, for messages: `constructor parameter #0`, `property "repo"`. */
  readonly where: string;
}

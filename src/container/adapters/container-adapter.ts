/**
 * The part of a vendor DI container the root container uses: it registers and builds singletons
 * and transients. Request-scoped services never reach the vendor (scopes build them), aliases are
 * resolved before (the vendor only sees canonical keys), and the recipe is always a function of the
 * resolved dependencies, so both vendors behave the same.
 */
export interface ContainerAdapter {
  /** Shown in diagnostics and benchmarks: `inversify`, `tsyringe`. */
  readonly name: string;
  /**
   * Registers the recipe for `binding.key`, replacing any earlier one together with its cached
   * instance. Must not dispose the replaced instance: overrides put it back later.
   */
  bind(binding: AdapterBinding): void;
  /** Returns the instance for `key` (a cached singleton, or a new transient). */
  get(key: AdapterKey): unknown;
  /** Drops every registration; the root container has already run disposers. */
  dispose(): void | Promise<void>;
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

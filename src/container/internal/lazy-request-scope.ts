import {
  DisposalError,
  DisposedError,
  ScopeProvideError,
  ScopeValueMissingError,
} from '../errors.js';
import type { RequestScope } from '../request-scope.js';
import { describeId, type ServiceId } from '../service-id.js';
import type { AdapterKey, VendorUnit } from '../adapters/container-adapter.js';
import { depsOf, isOpaqueNativeTransient, type Definition, type DependencyRef } from './definition.js';
import { disposeInstances, hasDisposer, type OwnedInstance } from './dispose-instances.js';
import { instantiate } from './instantiate.js';
import type { Registry } from './registry.js';
import { explainVendorError } from './explain-vendor-error.js';
import type { RootContainer } from './root-container.js';
import { RegistryResolver } from './registry-resolver.js';
import { scopeStorage } from './scope-storage.js';
import { SETTLED } from '../settled.js';

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * The {@link RequestScope} implementation. Not a vendor child container (inversify's costs tens of
 * us each, and its `inRequestScope` means "per get() graph" anyway): request-scoped services are built
 * here by a small resolver that looks in this scope first and falls back to the root, and cached in
 * a Map that only exists once something request-scoped was resolved.
 *
 * Services registered natively in the vendor container are built by the vendor, through the
 * unit's {@link VendorUnit}, opened the first time one is needed; they are cached, disposed and
 * overridden here like ours.
 */
export class LazyRequestScope extends RegistryResolver implements RequestScope {
  readonly #root: RootContainer;
  /** Request-scoped instances and provided values, by canonical key. */
  #instances: Map<ServiceId, unknown> | undefined;
  /** Instances built here that have a disposer, oldest first. */
  #owned: OwnedInstance[] | undefined;
  /** Set before any disposer runs, so a disposer that resolves something is refused, not served. */
  #closed = false;
  #disposal: Promise<void> | undefined;
  #unit: VendorUnit | undefined;

  constructor(root: RootContainer, registry: Registry) {
    super(registry);
    this.#root = root;
  }

  get disposed(): boolean {
    return this.#closed;
  }

  /** Whether this scope was made by `root`. */
  belongsTo(root: RootContainer): boolean {
    return this.#root === root;
  }

  resolveKey(key: ServiceId): unknown {
    const instances = this.#instances;
    if (instances !== undefined) {
      const local = instances.get(key);
      if (local !== undefined || instances.has(key)) return local;
    }
    if (this.#closed) throw new DisposedError('request scope', `resolve "${describeId(key)}"`);
    const definition = this.registry.definitions.get(key)!;
    if (definition.scope === 'request') {
      if (definition.recipe.kind === 'scope-value') throw new ScopeValueMissingError(key);
      const instance = definition.recipe.kind === 'native' ? this.#buildNative(definition) : this.#build(definition);
      (this.#instances ??= new Map()).set(key, instance);
      return instance;
    }
    if (definition.scopeChain !== undefined) return definition.recipe.kind === 'native' ? this.#buildNative(definition) : this.#build(definition);
    if (isOpaqueNativeTransient(definition)) return this.#buildNative(definition);
    return this.#root.resolveKey(key);
  }

  provide<T>(id: ServiceId<T>, value: T): this {
    if (this.#closed) throw new DisposedError('request scope', `provide "${describeId(id)}"`);
    const key = this.registry.keyOf(id);
    if (key === undefined) throw new ScopeProvideError(id, 'nothing is registered under it; declare it with { id, fromScope: true }');
    const scope = this.registry.definitions.get(key)!.scope;
    if (scope !== 'request') {
      throw new ScopeProvideError(id, `it is a ${scope}, which outlives this scope; only request-scoped ids can be provided (tests: container.override())`);
    }
    const instances = (this.#instances ??= new Map());
    if (instances.has(key)) throw new ScopeProvideError(id, 'this scope already resolved it, and services built here may hold the old one');
    instances.set(key, value);
    return this;
  }

  peek<T>(id: ServiceId<T>): T | undefined {
    const instances = this.#instances;
    if (instances === undefined) return undefined;
    const key = this.registry.keyOf(id);
    return key === undefined ? undefined : (instances.get(key) as T | undefined);
  }

  run<R>(fn: () => R): R {
    if (this.#closed) throw new DisposedError('request scope', 'run code in it');
    return this.#root.asyncContext ? scopeStorage.run(this, fn) : fn();
  }

  dispose(): Promise<void> {
    if (this.#disposal !== undefined) return this.#disposal;
    this.#closed = true;
    const owned = this.#owned;
    this.#instances = undefined;
    this.#owned = undefined;
    this.#unit = undefined;
    return (this.#disposal = owned === undefined ? SETTLED : disposeOwned(owned));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #build(definition: Definition): unknown {
    const deps = depsOf(definition.recipe);
    const args = deps.length === 0 ? NO_ARGS : deps.map((dep) => this.#dependency(dep));
    const instance = instantiate(definition, args);
    if (definition.recipe.kind !== 'value' && hasDisposer(instance)) {
      (this.#owned ??= []).push({ definition, instance });
    }
    return instance;
  }

  #buildNative(definition: Definition): unknown {
    const unit = (this.#unit ??= this.#root.openUnit(this));
    let instance: unknown;
    try {
      instance = unit.get(definition.key as AdapterKey);
    } catch (error) {
      throw explainVendorError(definition, error);
    }
    if (definition.recipe.kind === 'native' && definition.recipe.owned && hasDisposer(instance)) {
      (this.#owned ??= []).push({ definition, instance });
    }
    return instance;
  }

  #dependency(dep: DependencyRef): unknown {
    const key = this.registry.keyOf(dep.id);
    // Graph validation guarantees an unregistered dependency is an optional one.
    return key === undefined ? undefined : this.resolveKey(key);
  }
}

async function disposeOwned(owned: OwnedInstance[]): Promise<void> {
  const failures = await disposeInstances(owned.reverse());
  if (failures.length > 0) throw new DisposalError('request scope', failures);
}

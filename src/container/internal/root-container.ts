import type { AdapterBinding, ContainerAdapter } from '../adapters/container-adapter.js';
import type { Container, ScopeValues } from '../container.js';
import { checkResettableClass, getConstructorDependencies } from '../decorators/class-metadata.js';
import {
  ContainerConfigError,
  DisposalError,
  DisposedError,
  OverrideError,
  ScopeRequiredError,
  ServiceNotFoundError,
} from '../errors.js';
import type { Override, OverrideHandle } from '../override.js';
import type { RequestScope } from '../request-scope.js';
import { hasResetMethod, type Resettable } from '../resettable.js';
import { describeId, type ServiceId } from '../service-id.js';
import { depsOf, type Definition, type Recipe } from './definition.js';
import { dependentsOf } from './dependents-of.js';
import { disposeInstances, type OwnedInstance } from './dispose-instances.js';
import { instantiate } from './instantiate.js';
import { LazyRequestScope } from './lazy-request-scope.js';
import { factoryDependencies, type Registry } from './registry.js';
import { RegistryResolver } from './registry-resolver.js';
import { validateGraph } from './validate-graph.js';

/** An active override and what it set aside. */
interface OverrideRecord {
  readonly key: ServiceId;
  readonly previous: Definition;
  /** The overridden id and every service depending on it. */
  readonly touched: readonly ServiceId[];
  /** Singleton instances set aside, by key; `undefined` when one had not been created yet. */
  readonly saved: Map<ServiceId, OwnedInstance | undefined>;
  active: boolean;
}

/**
 * The {@link Container} implementation. Singletons and transients are built by the vendor
 * adapter, each through our own `create` callback so that every singleton is recorded (for the
 * resetter, for disposal, and as a fast path for later lookups) no matter which vendor built it.
 */
export class RootContainer extends RegistryResolver implements Container {
  readonly #vendor: ContainerAdapter;
  /** Created singletons in creation order, values included; the vendor caches them too. */
  readonly #singletons = new Map<ServiceId, OwnedInstance>();
  readonly #resettable = new Map<ServiceId, Resettable>();
  /** Instances built while an override was active and dropped by its restore; disposed with us. */
  readonly #retired: OwnedInstance[] = [];
  readonly #overrides: OverrideRecord[] = [];
  /** Set before any disposer runs, so a disposer that resolves something is refused, not served. */
  #closed = false;
  #disposal: Promise<void> | undefined;

  constructor(registry: Registry, vendor: ContainerAdapter) {
    validateGraph(registry);
    super(registry);
    this.#vendor = vendor;
    for (const definition of registry.definitions.values()) {
      if (definition.scope !== 'request') vendor.bind(this.#bindingFor(definition));
    }
  }

  get adapter(): string {
    return this.#vendor.name;
  }

  get resettable(): ReadonlyMap<ServiceId, Resettable> {
    return this.#resettable;
  }

  resettableIds(): ServiceId[] {
    const ids: ServiceId[] = [];
    for (const definition of this.registry.definitions.values()) if (definition.resettable) ids.push(definition.key);
    return ids;
  }

  /** Resolves a canonical key, skipping the public check: also how scopes reach the root. */
  resolveKey(key: ServiceId): unknown {
    const created = this.#singletons.get(key);
    if (created !== undefined) return created.instance;
    if (this.#closed) throw new DisposedError('container', `resolve "${describeId(key)}"`);
    const definition = this.registry.definitions.get(key)!;
    if (definition.scope === 'request') throw new ScopeRequiredError(key);
    if (definition.scopeChain !== undefined) throw new ScopeRequiredError(key, definition.scopeChain);
    return this.#vendor.get(key);
  }

  boot(): void {
    for (const definition of this.registry.definitions.values()) {
      if (definition.scope === 'singleton') this.resolveKey(definition.key);
    }
  }

  createScope(values?: ScopeValues): RequestScope {
    if (this.#closed) throw new DisposedError('container', 'create a scope');
    const scope = new LazyRequestScope(this, this.registry);
    if (values !== undefined) for (const [id, value] of values) scope.provide(id, value);
    return scope;
  }

  override<T>(id: ServiceId<T>, replacement: Override<T>): OverrideHandle {
    if (this.#closed) throw new DisposedError('container', `override "${describeId(id)}"`);
    const key = this.registry.keyOf(id);
    if (key === undefined) throw new ServiceNotFoundError(id, ': only registered services can be overridden');
    const definitions = this.registry.definitions;
    const previous = definitions.get(key)!;
    const origin = `override of "${previous.name}"`;
    const resettable = replacement.resettable ?? previous.resettable;
    const recipe = recipeOf(replacement);
    if (resettable) checkResettableRecipe(recipe, previous.scope, origin);
    definitions.set(key, { ...previous, recipe, origin, resettable });
    try {
      validateGraph(this.registry);
    } catch (error) {
      definitions.set(key, previous);
      validateGraph(this.registry);
      throw error;
    }
    const record: OverrideRecord = { key, previous, touched: [key, ...dependentsOf(this.registry, key)], saved: new Map(), active: true };
    for (const touched of record.touched) {
      const definition = definitions.get(touched)!;
      if (definition.scope === 'singleton') {
        record.saved.set(touched, this.#singletons.get(touched));
        this.#forget(touched);
      }
      // Rebinding drops the vendor's cached instance; transients that merely depend on the
      // overridden id cache nothing and keep their binding.
      if (definition.scope === 'singleton' || (touched === key && definition.scope === 'transient')) {
        this.#vendor.bind(this.#bindingFor(definition));
      }
    }
    this.#overrides.push(record);
    return { id: key, restore: () => this.#restore(record) };
  }

  restoreOverrides(): void {
    for (let i = this.#overrides.length - 1; i >= 0; i--) this.#restore(this.#overrides[i]!);
  }

  dispose(): Promise<void> {
    if (this.#disposal === undefined) {
      this.#closed = true;
      this.#disposal = this.#disposeOnce();
    }
    return this.#disposal;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async #disposeOnce(): Promise<void> {
    // Originals set aside by overrides come back first, so they are disposed too.
    this.restoreOverrides();
    const owned = [...this.#singletons.values()].filter((created) => ownsInstance(created.definition)).reverse();
    owned.push(...this.#retired.splice(0).reverse());
    this.#singletons.clear();
    this.#resettable.clear();
    const failures = await disposeInstances(owned);
    await this.#vendor.dispose();
    if (failures.length > 0) throw new DisposalError('container', failures);
  }

  #restore(record: OverrideRecord): void {
    if (!record.active) return;
    const index = this.#overrides.indexOf(record);
    for (const later of this.#overrides.slice(index + 1)) {
      const shared = later.touched.find((key) => record.touched.includes(key));
      if (shared !== undefined) {
        throw new OverrideError(
          `cannot restore the override of "${describeId(record.key)}" yet: the later override of "${describeId(later.key)}" ` +
            `also affects "${describeId(shared)}"; restore that one first (or use restoreOverrides())`,
        );
      }
    }
    record.active = false;
    this.#overrides.splice(index, 1);
    this.registry.definitions.set(record.key, record.previous);
    validateGraph(this.registry);
    for (const key of record.touched) {
      const definition = this.registry.definitions.get(key)!;
      if (definition.scope === 'transient' && key === record.key) this.#vendor.bind(this.#bindingFor(definition));
      if (definition.scope !== 'singleton') continue;
      const current = this.#singletons.get(key);
      if (current !== undefined && ownsInstance(current.definition)) this.#retired.push(current);
      this.#forget(key);
      const saved = record.saved.get(key);
      if (saved === undefined) {
        this.#vendor.bind(this.#bindingFor(definition));
      } else {
        this.#remember(saved);
        // The vendor must hand out the very same instance when it injects this singleton again.
        this.#vendor.bind({ key, lifetime: 'singleton', deps: [], create: () => saved.instance });
      }
    }
  }

  #bindingFor(definition: Definition): AdapterBinding {
    return {
      key: definition.key as AdapterBinding['key'],
      lifetime: definition.scope === 'singleton' ? 'singleton' : 'transient',
      deps: depsOf(definition.recipe).map((dep) => ({
        key: (this.registry.keyOf(dep.id) ?? dep.id) as AdapterBinding['key'],
        optional: dep.optional,
      })),
      create: (...args: unknown[]) => {
        const instance = instantiate(definition, args);
        if (definition.resettable && !hasResetMethod(instance)) {
          throw new ContainerConfigError(`"${definition.name}" is declared resettable, but the instance its factory returned has no reset() method`);
        }
        if (definition.scope === 'singleton') this.#remember({ definition, instance });
        return instance;
      },
    };
  }

  #remember(created: OwnedInstance): void {
    this.#singletons.set(created.definition.key, created);
    if (created.definition.resettable) this.#resettable.set(created.definition.key, created.instance as Resettable);
  }

  #forget(key: ServiceId): void {
    this.#singletons.delete(key);
    this.#resettable.delete(key);
  }
}

/** The container disposes what it built, never values it was handed. */
function ownsInstance(definition: Definition): boolean {
  return definition.recipe.kind === 'class' || definition.recipe.kind === 'factory';
}

/** A Resettable declaration carried over to an override must still be able to reset. */
function checkResettableRecipe(recipe: Recipe, scope: Definition['scope'], origin: string): void {
  if (recipe.kind === 'class') checkResettableClass(recipe.useClass, scope, origin);
  if (recipe.kind === 'value' && !hasResetMethod(recipe.value)) {
    throw new ContainerConfigError(
      `${origin}: the original is declared resettable, but the replacement value has no reset() method (pass resettable: false to opt out)`,
    );
  }
}

function recipeOf(replacement: Override<unknown>): Recipe {
  if ('useValue' in replacement) return { kind: 'value', value: replacement.useValue };
  if ('useClass' in replacement) {
    return { kind: 'class', useClass: replacement.useClass, deps: getConstructorDependencies(replacement.useClass) };
  }
  return { kind: 'factory', useFactory: replacement.useFactory, deps: factoryDependencies(replacement.inject ?? []) };
}

import type { AdapterBinding, AdapterKey, ContainerAdapter, UnitOwner, VendorUnit } from '../adapters/container-adapter.js';
import type { Binding } from '../binding.js';
import type { Container, ScopeValues, UncheckedService } from '../container.js';
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
import type { ServiceDescription } from '../service-description.js';
import { hasResetMethod, type Resettable } from '../resettable.js';
import { describeId, type AbstractNewable, type ServiceId } from '../service-id.js';
import { depsOf, type Definition, type Recipe } from './definition.js';
import { dependentsOf } from './dependents-of.js';
import { explainVendorError } from './explain-vendor-error.js';
import { disposeInstances, type OwnedInstance } from './dispose-instances.js';
import { instantiate } from './instantiate.js';
import { LazyRequestScope } from './lazy-request-scope.js';
import { factoryDependencies, Registry } from './registry.js';
import { RegistryResolver } from './registry-resolver.js';
import { scopeStorage } from './scope-storage.js';
import { validateGraph } from './validate-graph.js';

/** A singleton the container has handed out, and whether it is the container's to dispose. */
interface CreatedSingleton extends OwnedInstance {
  /** Built by us (a class, a factory, a native registration built through us), not a value handed in. */
  readonly owned: boolean;
}

/** An active override and what it set aside. */
interface OverrideRecord {
  readonly key: ServiceId;
  readonly previous: Definition;
  /** The overridden id and every service depending on it. */
  readonly touched: readonly ServiceId[];
  /** Singleton instances set aside, by key; `undefined` when one had not been created yet. */
  readonly saved: Map<ServiceId, CreatedSingleton | undefined>;
  active: boolean;
}

/** What {@link RootContainer.create} registers. */
export interface RootContainerOptions {
  readonly services: readonly AbstractNewable[];
  readonly bindings: readonly Binding[];
  /** Native singletons of the vendor container declared Resettable. */
  readonly resettable: readonly ServiceId[];
  /** Whether `scope.run()` enters AsyncLocalStorage (`ContainerOptions.asyncContext`). */
  readonly asyncContext: boolean;
}

/**
 * The {@link Container} implementation. Singletons and transients are built by the vendor
 * adapter, each through our own `create` callback so that every singleton is recorded (for the
 * resetter, for disposal, and as a fast path for later lookups) no matter which vendor built it.
 *
 * Registrations the user made natively in their vendor container are adopted into the same
 * registry (so the graph checks, overrides, resets and disposal cover them) and built by the
 * vendor; the adapter reports each native singleton it builds.
 */
export class RootContainer extends RegistryResolver implements Container {
  readonly asyncContext: boolean;
  readonly #vendor: ContainerAdapter;
  /** Whether the vendor holds native registrations: only then does vendor code ask for our ids. */
  readonly #hasNatives: boolean;
  /** Created singletons in creation order, values included; the vendor caches them too. */
  readonly #singletons = new Map<ServiceId, CreatedSingleton>();
  readonly #resettable = new Map<ServiceId, Resettable>();
  /** Instances built while an override was active and dropped by its restore; disposed with us. */
  readonly #retired: OwnedInstance[] = [];
  /**
   * Every singleton exists: set by boot(), cleared when an override sets some aside. A unit of work
   * boots the root before the vendor builds anything for it, so no singleton is ever first built
   * inside a unit, where vendor code that resolves ids at run time could capture the unit's services.
   */
  #booted = false;
  readonly #overrides: OverrideRecord[] = [];
  /** Set before any disposer runs, so a disposer that resolves something is refused, not served. */
  #closed = false;
  #disposal: Promise<void> | undefined;

  /** Adopts the vendor's native registrations, registers ours, checks the graph. */
  static create(options: RootContainerOptions, vendor: ContainerAdapter): RootContainer {
    let root: RootContainer | undefined;
    const natives =
      vendor.adopt?.({
        created: (key, instance) => root!.#nativeCreated(key, instance),
        currentUnit: () => (root === undefined ? undefined : root.#currentUnit()),
      }) ?? [];
    const registry = Registry.from(options.services, options.bindings, {
      services: natives,
      describeImplicit: vendor.describeImplicit === undefined ? undefined : (key) => vendor.describeImplicit!(key as AdapterKey),
      resettable: options.resettable,
    });
    root = new RootContainer(registry, vendor, natives.length > 0, options.asyncContext);
    return root;
  }

  private constructor(registry: Registry, vendor: ContainerAdapter, hasNatives: boolean, asyncContext: boolean) {
    validateGraph(registry);
    super(registry);
    this.#vendor = vendor;
    this.#hasNatives = hasNatives;
    this.asyncContext = asyncContext;
    for (const definition of registry.definitions.values()) {
      if (definition.scope === 'request') {
        // Vendor-built services inject request-scoped ids through the unit they are built for.
        if (hasNatives) vendor.bindScoped?.(definition.key as AdapterKey);
      } else if (definition.recipe.kind !== 'native') {
        vendor.bind(this.#bindingFor(definition));
      }
    }
    if (hasNatives) this.#bindAliases();
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

  uncheckedServices(): UncheckedService[] {
    const unchecked: UncheckedService[] = [];
    for (const { key, recipe } of this.registry.definitions.values()) {
      if (recipe.kind === 'native' && recipe.deps === undefined) unchecked.push({ id: key, registration: recipe.registration });
    }
    return unchecked;
  }

  describeServices(): ServiceDescription[] {
    const aliases = new Map<ServiceId, string[]>();
    for (const [id, entry] of this.registry.entries) {
      if (id === entry.key) continue;
      const list = aliases.get(entry.key);
      if (list === undefined) aliases.set(entry.key, [describeId(id)]);
      else list.push(describeId(id));
    }
    return [...this.registry.definitions.values()].map((definition) => ({
      id: definition.key,
      name: definition.name,
      aliases: aliases.get(definition.key) ?? [],
      scope: definition.scope,
      public: this.registry.entries.get(definition.key)?.public ?? true,
      tags: definition.tags.map((tag) => describeId(tag)),
      resettable: definition.resettable,
      recipe: describeMaking(definition.recipe),
      built: this.#singletons.has(definition.key) || (definition.scope === 'singleton' && definition.recipe.kind === 'value'),
    }));
  }

  /** Resolves a canonical key, skipping the public check: also how scopes reach the root. */
  resolveKey(key: ServiceId): unknown {
    const created = this.#singletons.get(key);
    if (created !== undefined) return created.instance;
    if (this.#closed) throw new DisposedError('container', `resolve "${describeId(key)}"`);
    const definition = this.registry.definitions.get(key)!;
    if (definition.scope === 'request') throw new ScopeRequiredError(key);
    if (definition.scopeChain !== undefined) throw new ScopeRequiredError(key, definition.scopeChain);
    if (!this.#hasNatives) return this.#vendor.get(key as AdapterKey);
    let instance: unknown;
    try {
      instance = this.#vendor.get(key as AdapterKey);
    } catch (error) {
      throw explainVendorError(definition, error);
    }
    // A native singleton the vendor built before createContainer() (no creation reported): the user's, not ours.
    if (definition.scope === 'singleton' && !this.#singletons.has(key)) this.#remember(definition, instance, false);
    return instance;
  }

  boot(): void {
    for (const definition of this.registry.definitions.values()) {
      if (definition.scope === 'singleton' && !(definition.recipe.kind === 'native' && definition.recipe.multiple)) this.resolveKey(definition.key);
    }
    this.#booted = true;
  }

  /**
   * The vendor side of a unit of work, for a scope about to build a native service. Boots the root
   * first, so the vendor never builds a singleton on the unit's behalf.
   */
  openUnit(owner: UnitOwner): VendorUnit {
    if (!this.#booted) this.boot();
    if (this.#vendor.openUnit === undefined) throw new ContainerConfigError(`the ${this.#vendor.name} adapter cannot open a unit of work`);
    return this.#vendor.openUnit(owner);
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
    this.#booted = false;
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
    const owned: OwnedInstance[] = [...this.#singletons.values()].filter((created) => created.owned).reverse();
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
    this.#booted = false;
    this.registry.definitions.set(record.key, record.previous);
    validateGraph(this.registry);
    for (const key of record.touched) {
      const definition = this.registry.definitions.get(key)!;
      if (definition.scope === 'transient' && key === record.key) this.#vendor.bind(this.#bindingFor(definition));
      if (definition.scope !== 'singleton') continue;
      const current = this.#singletons.get(key);
      if (current !== undefined && current.owned) this.#retired.push(current);
      this.#forget(key);
      const saved = record.saved.get(key);
      if (saved === undefined) {
        this.#vendor.bind(this.#bindingFor(definition));
      } else {
        this.#remember(saved.definition, saved.instance, saved.owned);
        // The vendor must hand out the very same instance when it injects this singleton again.
        this.#vendor.bind({ key: key as AdapterKey, lifetime: 'singleton', deps: [], create: () => saved.instance });
      }
    }
  }

  #bindingFor(definition: Definition): AdapterBinding {
    const key = definition.key as AdapterKey;
    const lifetime = definition.scope === 'singleton' ? 'singleton' : 'transient';
    const checked = (instance: unknown): unknown => {
      if (definition.resettable && !hasResetMethod(instance)) {
        throw new ContainerConfigError(`"${definition.name}" is declared resettable, but the instance its factory returned has no reset() method`);
      }
      if (definition.scope === 'singleton') this.#remember(definition, instance, ownsInstance(definition));
      return instance;
    };
    if (definition.recipe.kind === 'native') {
      // Rebuilt from the user's registration through our layer, so an override it depends on applies.
      return { key, lifetime, deps: [], create: () => checked(this.#vendor.createNative!(key)) };
    }
    return {
      key,
      lifetime,
      deps: depsOf(definition.recipe).map((dep) => ({
        key: (this.registry.keyOf(dep.id) ?? dep.id) as AdapterKey,
        optional: dep.optional,
      })),
      create: (...args: unknown[]) => checked(instantiate(definition, args)),
    };
  }

  /** Lets vendor-built services inject our aliases: each resolves to its target. */
  #bindAliases(): void {
    for (const [id, entry] of this.registry.entries) {
      if (id === entry.key) continue;
      this.#vendor.bind({ key: id as AdapterKey, lifetime: 'transient', deps: [{ key: entry.key as AdapterKey, optional: false }], create: (target) => target });
    }
  }

  /** The vendor built a native singleton (it reports each one as it builds it). */
  #nativeCreated(key: AdapterKey, instance: unknown): void {
    if (this.#singletons.get(key)?.instance === instance) return;
    const definition = this.registry.definitions.get(key);
    if (definition === undefined || definition.scope !== 'singleton') return;
    if (definition.resettable && !hasResetMethod(instance)) {
      throw new ContainerConfigError(`"${definition.name}" is declared resettable, but the instance ${describeRecipe(definition)} built has no reset() method`);
    }
    this.#remember(definition, instance, ownsInstance(definition));
  }

  /** The unit of work of this container whose code is running now, if any. */
  #currentUnit(): UnitOwner | undefined {
    const scope = scopeStorage.getStore();
    return scope instanceof LazyRequestScope && scope.belongsTo(this) ? scope : undefined;
  }

  #remember(definition: Definition, instance: unknown, owned: boolean): void {
    this.#singletons.set(definition.key, { definition, instance, owned });
    if (definition.resettable) this.#resettable.set(definition.key, instance as Resettable);
  }

  #forget(key: ServiceId): void {
    this.#singletons.delete(key);
    this.#resettable.delete(key);
  }
}

/** The container disposes what it built, never values it was handed (nor native values and aliases). */
function ownsInstance(definition: Definition): boolean {
  const recipe = definition.recipe;
  return recipe.kind === 'class' || recipe.kind === 'factory' || (recipe.kind === 'native' && recipe.owned);
}

/** How {@link ServiceDescription.recipe} names a recipe. */
function describeMaking(recipe: Recipe): string {
  switch (recipe.kind) {
    case 'class':
      return `class ${describeId(recipe.useClass)}`;
    case 'factory':
      return 'factory';
    case 'value':
      return 'value';
    case 'scope-value':
      return 'scope value';
    case 'native':
      return recipe.registration;
  }
}

function describeRecipe(definition: Definition): string {
  return definition.recipe.kind === 'native' ? `its ${definition.recipe.registration}` : 'its recipe';
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

import type { NativeService } from '../adapters/container-adapter.js';
import type { Binding, ServiceScope } from '../binding.js';
import { checkResettableClass, getConstructorDependencies, getServiceMetadata } from '../decorators/class-metadata.js';
import { hasResetMethod } from '../resettable.js';
import type { Dependency } from '../dependency.js';
import { CircularDependencyError, ContainerConfigError, DuplicateServiceError, ServiceNotFoundError } from '../errors.js';
import { describeId, type AbstractNewable, type Newable, type ServiceId, type Tag } from '../service-id.js';
import { depsOf, type DependencyRef, type Definition, type Entry, type Recipe } from './definition.js';

/** The registrations a vendor container already holds, as an adapter reads them. */
export interface NativeRegistrations {
  readonly services: readonly NativeService[];
  /** What the vendor would build for an unregistered id a native service depends on, if anything. */
  readonly describeImplicit?: ((key: ServiceId) => NativeService | undefined) | undefined;
  /** Native singletons declared Resettable (`createContainer({ resettable })`). */
  readonly resettable?: readonly ServiceId[] | undefined;
}

const SCOPES: ReadonlySet<string> = new Set<ServiceScope>(['singleton', 'request', 'transient']);

/**
 * Every id the container knows: definitions by canonical key, entries for each id and alias, and
 * tag members. Built once from decorated classes and bindings; afterwards only overrides replace
 * definitions (never add ids), so the validated graph stays closed.
 */
export class Registry {
  /** Canonical key -> definition, in registration order (boot creates singletons in this order). */
  readonly definitions = new Map<ServiceId, Definition>();
  /** Every resolvable id (canonical keys and aliases) -> its entry. */
  readonly entries = new Map<ServiceId, Entry>();
  /** Tag -> canonical keys carrying it, in registration order. */
  readonly tags = new Map<Tag, ServiceId[]>();

  private readonly origins = new Map<ServiceId, string>();

  static from(services: readonly AbstractNewable[], bindings: readonly Binding[], native?: NativeRegistrations): Registry {
    const registry = new Registry();
    const aliases: PendingAlias[] = [];
    for (const service of native?.services ?? []) registry.addNative(service);
    for (const service of services) registry.addService(service, aliases);
    bindings.forEach((binding, index) => registry.addBinding(binding, index, aliases));
    registry.resolveAliases(aliases);
    if (native?.describeImplicit !== undefined) registry.addImplicitNatives(native.describeImplicit);
    for (const id of native?.resettable ?? []) registry.declareNativeResettable(id);
    return registry;
  }

  /** Canonical key of a registered id, following aliases. */
  keyOf(id: ServiceId): ServiceId | undefined {
    return this.entries.get(id)?.key;
  }

  private addService(service: AbstractNewable, aliases: PendingAlias[]): void {
    if (typeof service !== 'function') {
      throw new ContainerConfigError(`createContainer({ services }) takes classes, got ${describeValue(service)}`);
    }
    const metadata = getServiceMetadata(service);
    const key = metadata?.id ?? service;
    const isPublic = metadata?.public ?? true;
    const origin = `@Service class "${describeId(service)}"`;
    this.define({
      key,
      scope: metadata?.scope ?? 'singleton',
      recipe: { kind: 'class', useClass: service as Newable, deps: getConstructorDependencies(service) },
      tags: metadata?.tags ?? [],
      public: isPublic,
      origin,
      resettable: metadata?.resettable ?? false,
    });
    if (key !== service) this.addAlias(aliases, { id: service, target: key, public: isPublic, origin });
    for (const alias of metadata?.aliases ?? []) this.addAlias(aliases, { id: alias, target: key, public: isPublic, origin });
  }

  private addNative(service: NativeService): void {
    const recipe: Recipe = {
      kind: 'native',
      registration: service.registration,
      deps: service.deps?.map((dep) => ({ id: dep.key, optional: dep.optional, where: dep.where })),
      owned: service.owned,
      multiple: service.multiple === true,
    };
    const origin = `${service.registration} "${describeId(service.key)}"`;
    this.define({ key: service.key, scope: service.lifetime, recipe, tags: [], public: true, origin, resettable: false });
  }

  /**
   * Unregistered classes that something depends on and the vendor builds on demand (tsyringe
   * constructs any class it is asked for). A class carrying our `@Service` is never one: it was
   * meant to be registered, and stays a missing dependency.
   */
  private addImplicitNatives(describeImplicit: (key: ServiceId) => NativeService | undefined): void {
    const queue = [...this.definitions.values()];
    for (let definition = queue.shift(); definition !== undefined; definition = queue.shift()) {
      for (const dep of depsOf(definition.recipe)) {
        if (this.entries.has(dep.id) || (typeof dep.id === 'function' && getServiceMetadata(dep.id) !== undefined)) continue;
        const implicit = describeImplicit(dep.id);
        if (implicit === undefined) continue;
        this.addNative(implicit);
        queue.push(this.definitions.get(implicit.key)!);
      }
    }
  }

  private declareNativeResettable(id: ServiceId): void {
    const label = `createContainer({ resettable }): "${describeId(id)}"`;
    const key = this.keyOf(id);
    if (key === undefined) throw new ServiceNotFoundError(id, `, but ${label} names it`);
    const definition = this.definitions.get(key)!;
    if (definition.recipe.kind !== 'native') {
      throw new ContainerConfigError(
        `${label} is registered with roadrunner-runtime: declare it with @Service({ resettable: true }) or resettable: true on its binding; ` +
          'the resettable option is for services registered in your inversify or tsyringe container',
      );
    }
    if (definition.scope !== 'singleton') {
      throw new ContainerConfigError(`${label}: only singletons can be declared resettable, this one is ${definition.scope}`);
    }
    this.definitions.set(key, { ...definition, resettable: true });
  }

  private addBinding(binding: Binding, index: number, aliases: PendingAlias[]): void {
    const recipes = (['useValue', 'useClass', 'useFactory', 'useExisting', 'fromScope'] as const).filter((k) => k in binding);
    const label = `binding #${index} ("${binding.id === undefined ? '?' : describeId(binding.id)}")`;
    if (binding.id === undefined || binding.id === null) throw new ContainerConfigError(`${label} has no id`);
    if (recipes.length !== 1) {
      throw new ContainerConfigError(
        `${label} needs exactly one of useValue, useClass, useFactory, useExisting, fromScope; got ${recipes.length === 0 ? 'none' : recipes.join(', ')}`,
      );
    }
    const isPublic = binding.public ?? true;
    const tags = 'tags' in binding ? (binding.tags ?? []) : [];
    if ('useExisting' in binding) {
      this.addAlias(aliases, { id: binding.id, target: binding.useExisting, public: isPublic, origin: label });
      return;
    }
    let scope: ServiceScope = 'singleton';
    let recipe: Recipe;
    let resettable = false;
    if ('useValue' in binding) {
      recipe = { kind: 'value', value: binding.useValue };
      resettable = binding.resettable ?? false;
      if (resettable && !hasResetMethod(binding.useValue)) {
        throw new ContainerConfigError(`${label}: declared resettable, but the value has no reset() method`);
      }
    } else if ('fromScope' in binding) {
      scope = 'request';
      recipe = { kind: 'scope-value' };
    } else if ('useClass' in binding) {
      if (typeof binding.useClass !== 'function') throw new ContainerConfigError(`${label}: useClass must be a class`);
      const metadata = getServiceMetadata(binding.useClass);
      scope = checkScope(binding.scope ?? metadata?.scope ?? 'singleton', label);
      recipe = { kind: 'class', useClass: binding.useClass, deps: getConstructorDependencies(binding.useClass) };
      resettable = binding.resettable ?? metadata?.resettable ?? false;
      if (resettable) checkResettableClass(binding.useClass, scope, label);
    } else {
      if (typeof binding.useFactory !== 'function') throw new ContainerConfigError(`${label}: useFactory must be a function`);
      scope = checkScope(binding.scope ?? 'singleton', label);
      recipe = { kind: 'factory', useFactory: binding.useFactory, deps: factoryDependencies(binding.inject ?? []) };
      resettable = binding.resettable ?? false;
      if (resettable && scope !== 'singleton') {
        throw new ContainerConfigError(`${label}: only singletons can be declared resettable, this factory is ${scope}`);
      }
    }
    this.define({ key: binding.id, scope, recipe, tags, public: isPublic, origin: label, resettable });
  }

  private define(spec: Omit<Definition, 'name' | 'scopeChain'> & { public: boolean }): void {
    const { public: isPublic, ...definition } = spec;
    this.claim(spec.key, spec.origin, { key: spec.key, public: isPublic });
    this.definitions.set(spec.key, { ...definition, name: describeId(spec.key), scopeChain: undefined });
    for (const tag of spec.tags) {
      const members = this.tags.get(tag);
      if (members === undefined) this.tags.set(tag, [spec.key]);
      else members.push(spec.key);
    }
  }

  private claim(id: ServiceId, origin: string, entry: Entry): void {
    this.reserve(id, origin);
    this.entries.set(id, entry);
  }

  /** Takes the id now, so a duplicate is reported in declaration order even for aliases. */
  private reserve(id: ServiceId, origin: string): void {
    const first = this.origins.get(id);
    if (first !== undefined) throw new DuplicateServiceError(id, first, origin);
    this.origins.set(id, origin);
  }

  private addAlias(aliases: PendingAlias[], alias: PendingAlias): void {
    this.reserve(alias.id, alias.origin);
    aliases.push(alias);
  }

  /** Aliases may point at aliases declared later, so they are linked once everything is known. */
  private resolveAliases(aliases: readonly PendingAlias[]): void {
    const pending = new Map(aliases.map((alias) => [alias.id, alias]));
    for (const alias of aliases) {
      const seen: ServiceId[] = [alias.id];
      let target = alias.target;
      for (let next = pending.get(target); next !== undefined; next = pending.get(target)) {
        if (seen.includes(target)) throw new CircularDependencyError([...seen, target].map((id) => `"${describeId(id)}"`));
        seen.push(target);
        target = next.target;
      }
      if (!this.definitions.has(target)) {
        throw new ServiceNotFoundError(target, `, but ${alias.origin} declares "${describeId(alias.id)}" as an alias of it`);
      }
      this.entries.set(alias.id, { key: target, public: alias.public });
    }
  }
}

interface PendingAlias {
  readonly id: ServiceId;
  readonly target: ServiceId;
  readonly public: boolean;
  readonly origin: string;
}

/** Normalises a factory's `inject` list. */
export function factoryDependencies(inject: readonly Dependency[]): DependencyRef[] {
  return inject.map((dependency, i) =>
    typeof dependency === 'object' && dependency !== null
      ? { id: dependency.id, optional: true, where: `inject[${i}]` }
      : { id: dependency, optional: false, where: `inject[${i}]` },
  );
}

function checkScope(scope: ServiceScope, label: string): ServiceScope {
  if (!SCOPES.has(scope)) throw new ContainerConfigError(`${label}: scope must be one of singleton, request, transient, got "${String(scope)}"`);
  return scope;
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}

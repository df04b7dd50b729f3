import {
  getClassMetadata,
  type ActivationsService,
  type Binding,
  type BindingService,
  type ClassElementMetadata,
  type ResolvedValueElementMetadata,
} from '@inversifyjs/core';
import { Plugin } from '@inversifyjs/plugin';
import { LazyServiceIdentifier, type Container, type ServiceIdentifier } from 'inversify';
import { ContainerConfigError } from '../errors.js';
import { describeId } from '../service-id.js';
import { combineRegistrations } from './combine-registrations.js';
import type { AdapterKey, NativeDependency, NativeService } from './container-adapter.js';

/** What inversify knows about a container's registrations, read through its plugin API. */
export interface InversifyRegistry {
  readonly bindings: BindingService;
  readonly activations: ActivationsService;
}

/**
 * The binding and activation services of `container` (its parents' included), through inversify's
 * documented plugin API (`container.register(Plugin)`): the only public way to list bindings.
 */
export function inversifyRegistryOf(container: Container): InversifyRegistry {
  let registry: InversifyRegistry | undefined;
  class RegistryReader extends Plugin<Container> {
    load(): void {
      registry = { bindings: this._context.bindingService, activations: this._context.activationService };
    }
  }
  container.register(RegistryReader);
  if (registry === undefined) throw new ContainerConfigError('inversify: the plugin API did not load; roadrunner-runtime supports inversify 8');
  return registry;
}

/** Every service the container (and its parents) has bindings for, with the bindings `get()` would consider. */
export function inversifyBindingsOf(registry: InversifyRegistry): Map<ServiceIdentifier, Binding[]> {
  const found = new Map<ServiceIdentifier, Binding[]>();
  for (const id of registry.bindings.getBoundServices()) {
    const bindings = [...(registry.bindings.get(id) ?? [])];
    if (bindings.length > 0) found.set(id, bindings);
  }
  return found;
}

/**
 * How roadrunner-runtime sees one inversify service: its lifetime (inversify's request scope is one
 * unit of work), and the ids it depends on when the bindings declare them. Several bindings (a
 * multi-injection, named or tagged variants) make one service depending on all of theirs.
 */
export function describeInversifyService(id: ServiceIdentifier, bindings: readonly Binding[]): NativeService {
  const key = id as AdapterKey;
  const described = bindings.map((binding) => describeBinding(key, binding));
  if (described.length > 1 && described.some((d) => d.lifetime === 'request')) {
    throw new ContainerConfigError(
      `inversify: "${describeId(key)}" has ${described.length} bindings and one is request-scoped; a unit of work can only scope a service ` +
        'with one binding: give the request-scoped one its own service id',
    );
  }
  return combineRegistrations(key, described);
}

function describeBinding(key: AdapterKey, binding: Binding): NativeService {
  const registration = `inversify ${REGISTRATION[binding.type]}`;
  switch (binding.type) {
    case 'ConstantValue':
      return { key, lifetime: 'singleton', registration, deps: [], owned: false };
    case 'ServiceRedirection':
      return {
        key,
        lifetime: 'transient',
        registration,
        deps: [{ key: binding.targetServiceIdentifier as AdapterKey, optional: false, where: 'toService() target' }],
        owned: false,
      };
    case 'Factory':
      return { key, lifetime: 'singleton', registration, deps: undefined, owned: true };
    case 'DynamicValue':
      return { key, lifetime: lifetimeOf(binding.scope), registration, deps: undefined, owned: true };
    case 'ResolvedValue':
      return {
        key,
        lifetime: lifetimeOf(binding.scope),
        registration,
        deps: binding.metadata.arguments.map((argument, i) => dependencyOf(argument, `toResolvedValue() inject[${i}]`)),
        owned: true,
      };
    case 'Instance':
      return { key, lifetime: lifetimeOf(binding.scope), registration, deps: classDependencies(binding.implementationType), owned: true };
  }
}

const REGISTRATION: Record<Binding['type'], string> = {
  ConstantValue: 'toConstantValue',
  DynamicValue: 'toDynamicValue',
  Factory: 'toFactory',
  Instance: 'class binding',
  ResolvedValue: 'toResolvedValue',
  ServiceRedirection: 'toService',
};

function lifetimeOf(scope: 'Singleton' | 'Transient' | 'Request'): NativeService['lifetime'] {
  return scope === 'Singleton' ? 'singleton' : scope === 'Request' ? 'request' : 'transient';
}

/**
 * Constructor parameters and injected properties, from inversify's own class metadata (inversify
 * already refused, at bind time, a class whose parameters lack `@inject`).
 */
function classDependencies(type: abstract new (...args: any[]) => unknown): NativeDependency[] {
  const metadata = getClassMetadata(type as never);
  const deps: NativeDependency[] = [];
  metadata.constructorArguments.forEach((argument, i) => {
    const dep = managedDependency(argument, `constructor parameter #${i}`);
    if (dep !== undefined) deps.push(dep);
  });
  for (const [property, argument] of metadata.properties) {
    const dep = managedDependency(argument, `property "${String(property)}"`);
    if (dep !== undefined) deps.push(dep);
  }
  return deps;
}

function managedDependency(element: ClassElementMetadata, where: string): NativeDependency | undefined {
  // ClassElementMetadataKind.unmanaged: a parameter the caller passes, never injected.
  if (element.kind === 2) return undefined;
  return dependencyOf(element, where);
}

function dependencyOf(element: { value: ServiceIdentifier | LazyServiceIdentifier; optional: boolean }, where: string): NativeDependency {
  const id = LazyServiceIdentifier.is(element.value) ? element.value.unwrap() : element.value;
  return { key: id as AdapterKey, optional: element.optional, where };
}

/** `toResolvedValue()`'s recorded arguments, back in the form `toResolvedValue()` takes them. */
export function resolvedValueInjectOptions(argumentsMetadata: readonly ResolvedValueElementMetadata[]): unknown[] {
  return argumentsMetadata.map((argument) => ({
    serviceIdentifier: argument.value,
    ...(argument.name === undefined ? {} : { name: argument.name }),
    ...(argument.optional ? { optional: true } : {}),
    ...(argument.tags.size === 0 ? {} : { tags: [...argument.tags].map(([tagKey, value]) => ({ key: tagKey, value })) }),
    // ResolvedValueElementMetadataKind.multipleInjection
    ...(argument.kind === 0 ? { isMultiple: true, chained: argument.chained } : {}),
  }));
}

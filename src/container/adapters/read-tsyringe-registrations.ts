import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ContainerConfigError } from '../errors.js';
import { combineRegistrations } from './combine-registrations.js';
import { describeId } from '../service-id.js';
import type { AdapterKey, NativeDependency, NativeService } from './container-adapter.js';

/** tsyringe's `Lifecycle` enum values (a const enum in its typings). */
export const LIFECYCLE = { Transient: 0, Singleton: 1, ResolutionScoped: 2, ContainerScoped: 3 } as const;

/** One registration as tsyringe stores it: a provider, its options, and the cached instance. */
export interface TsyringeRegistration {
  readonly provider: object;
  readonly options: { readonly lifecycle: number };
  instance?: unknown;
}

interface TsyringeRegistryStore {
  entries(): IterableIterator<[InjectionToken, TsyringeRegistration[]]>;
  setAll(token: InjectionToken, registrations: TsyringeRegistration[]): void;
}

/**
 * tsyringe 4 has no public way to list registrations, so this reads its container's registry, the
 * one place that depends on tsyringe's internals (`_registry`, `parent`, stable across 4.x); a
 * different shape is a clear error rather than a silent empty list.
 */
export function registryStoreOf(container: DependencyContainer): TsyringeRegistryStore {
  const store = (container as unknown as { _registry?: Partial<TsyringeRegistryStore> })._registry;
  if (typeof store?.entries !== 'function' || typeof store.setAll !== 'function') {
    throw new ContainerConfigError('tsyringe: this container\'s registrations cannot be read; roadrunner-runtime supports tsyringe 4.x containers');
  }
  return store as TsyringeRegistryStore;
}

/** Every registered token of `container` and its parents, with the registrations `resolve()` would use (nearest container wins). */
export function tsyringeRegistrationsOf(container: DependencyContainer): Map<InjectionToken, TsyringeRegistration[]> {
  const found = new Map<InjectionToken, TsyringeRegistration[]>();
  for (let current: DependencyContainer | undefined = container; current !== undefined; current = parentOf(current)) {
    for (const [token, registrations] of registryStoreOf(current).entries()) {
      // tsyringe leaves an empty list behind for every token it was merely asked about.
      if (registrations.length > 0 && !found.has(token)) found.set(token, registrations);
    }
  }
  return found;
}

function parentOf(container: DependencyContainer): DependencyContainer | undefined {
  return (container as unknown as { parent?: DependencyContainer }).parent ?? undefined;
}

/**
 * How roadrunner-runtime sees one tsyringe token: `ContainerScoped` is one per unit of work,
 * `ResolutionScoped` one per `resolve()` (a transient for us); dependencies come from the class's
 * injection tokens, a `useToken` target, or nothing for values; factories are opaque.
 */
export function describeTsyringeService(token: InjectionToken, registrations: readonly TsyringeRegistration[]): NativeService {
  const key = token as AdapterKey;
  const described = registrations.map((registration) => describeRegistration(key, registration));
  if (described.length > 1 && described.some((d) => d.lifetime === 'request')) {
    throw new ContainerConfigError(
      `tsyringe: "${describeId(key)}" has ${described.length} registrations and one is ContainerScoped; a unit of work can only scope a ` +
        'token with one registration: give the ContainerScoped one its own token',
    );
  }
  return combineRegistrations(key, described);
}

function describeRegistration(key: AdapterKey, registration: TsyringeRegistration): NativeService {
  const provider = registration.provider as Record<string, unknown>;
  const lifetime = lifetimeOf(registration.options.lifecycle);
  if ('useValue' in provider) return { key, lifetime: 'singleton', registration: 'tsyringe useValue', deps: [], owned: false };
  if ('useFactory' in provider) return { key, lifetime: 'transient', registration: 'tsyringe useFactory', deps: undefined, owned: true };
  if ('useToken' in provider) {
    const target = provider['useToken'] as AdapterKey;
    return { key, lifetime, registration: 'tsyringe useToken', deps: [{ key: target, optional: false, where: 'useToken target' }], owned: false };
  }
  const useClass = ('useClass' in provider ? provider['useClass'] : provider) as unknown;
  if (!isClass(useClass)) return { key, lifetime, registration: 'tsyringe delay()', deps: undefined, owned: true };
  return { key, lifetime, registration: 'tsyringe useClass', deps: tsyringeClassDependencies(useClass), owned: true };
}

function lifetimeOf(lifecycle: number): NativeService['lifetime'] {
  if (lifecycle === LIFECYCLE.Singleton) return 'singleton';
  if (lifecycle === LIFECYCLE.ContainerScoped) return 'request';
  return 'transient';
}

/** A plain class (tsyringe's `delay()` wraps one in a DelayedConstructor object). */
export function isClass(value: unknown): value is abstract new (...args: any[]) => unknown {
  return typeof value === 'function';
}

/**
 * A class's constructor dependencies as tsyringe computes them: `design:paramtypes` (only emitted by
 * tsc with emitDecoratorMetadata) overlaid with the tokens of `@inject()`, `@injectAll()` and the
 * transform variants. A parameter neither covers is a clear error here rather than a failure at
 * the first request. `delay()` parameters resolve lazily and are not followed.
 */
export function tsyringeClassDependencies(type: abstract new (...args: any[]) => unknown): NativeDependency[] {
  const reflect = Reflect as unknown as {
    getMetadata(key: string, target: object): unknown;
    getOwnMetadata(key: string, target: object): unknown;
  };
  const params = [...((reflect.getMetadata('design:paramtypes', type) as unknown[] | undefined) ?? [])];
  const tokens = (reflect.getOwnMetadata('injectionTokens', type) as Record<string, unknown> | undefined) ?? {};
  for (const [index, descriptor] of Object.entries(tokens)) params[Number(index)] = descriptor;
  const missing: number[] = [];
  for (let i = 0; i < Math.max(params.length, type.length); i++) if (params[i] === undefined) missing.push(i);
  if (missing.length > 0) {
    throw new ContainerConfigError(
      `tsyringe cannot build "${type.name}": constructor parameter ${missing.map((i) => `#${i}`).join(', ')} has no @inject(token) ` +
        '(tsx/esbuild emit no design:paramtypes, so every parameter needs one)',
    );
  }
  const deps: NativeDependency[] = [];
  params.forEach((param, i) => {
    const where = `constructor parameter #${i}`;
    if (isDescriptor(param)) {
      if (isToken(param.token)) deps.push({ key: param.token, optional: param.isOptional === true, where });
      if (isToken(param.transform)) deps.push({ key: param.transform, optional: false, where: `${where} (transform)` });
    } else if (isToken(param)) {
      deps.push({ key: param, optional: false, where });
    }
  });
  return deps;
}

interface TokenDescriptor {
  token?: unknown;
  transform?: unknown;
  multiple?: boolean;
  isOptional?: boolean;
}

function isDescriptor(value: unknown): value is TokenDescriptor {
  return typeof value === 'object' && value !== null && 'token' in value;
}

/** A token tsyringe resolves right away: a string, a symbol or a class (not a `delay()` wrapper). */
function isToken(value: unknown): value is AdapterKey {
  return typeof value === 'string' || typeof value === 'symbol' || typeof value === 'function';
}

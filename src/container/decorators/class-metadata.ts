/**
 * Where decorators leave their metadata. It lives on the class itself under `Symbol.for` keys
 * rather than in a module-level WeakMap so that two copies of this package (a bridge bundling its
 * own) still read each other's decorators.
 */
import type { ServiceScope } from '../binding.js';
import { ContainerConfigError, MissingInjectError } from '../errors.js';
import type { DependencyRef } from '../internal/definition.js';
import { describeId, type AbstractNewable, type ServiceId, type Tag } from '../service-id.js';

const SERVICE = Symbol.for('roadrunner-runtime.container.service');
const PARAMETERS = Symbol.for('roadrunner-runtime.container.parameters');

/** What `@Service()` recorded, defaults applied. */
export interface ServiceMetadata {
  readonly id: ServiceId | undefined;
  readonly scope: ServiceScope;
  readonly aliases: readonly ServiceId[];
  readonly tags: readonly Tag[];
  readonly public: boolean;
  /** Declared {@link Resettable}: reset after every unit of work. */
  readonly resettable: boolean;
}

interface ParameterMetadata {
  id?: ServiceId;
  optional?: boolean;
}

type Annotated = AbstractNewable & { [SERVICE]?: ServiceMetadata; [PARAMETERS]?: (ParameterMetadata | undefined)[] };

export function setServiceMetadata(target: AbstractNewable, metadata: ServiceMetadata): void {
  Object.defineProperty(target, SERVICE, { value: metadata, configurable: true });
}

/** Own metadata only: a subclass of a service is not the same service. */
export function getServiceMetadata(target: AbstractNewable): ServiceMetadata | undefined {
  return Object.hasOwn(target, SERVICE) ? (target as Annotated)[SERVICE] : undefined;
}

/** Records one constructor parameter's `@Inject` / `@Optional`; the two may come in either order. */
export function annotateParameter(
  target: object,
  propertyKey: string | symbol | undefined,
  index: number,
  decorator: string,
  patch: ParameterMetadata,
): void {
  if (propertyKey !== undefined || typeof target !== 'function') {
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    throw new ContainerConfigError(
      `${decorator} on "${owner}.${String(propertyKey)}" parameter #${index}: only constructor parameters are injected`,
    );
  }
  const cls = target as Annotated;
  // Copy-on-write so decorating a subclass never edits its parent's list.
  const own = Object.hasOwn(cls, PARAMETERS) ? cls[PARAMETERS]! : [];
  if (!Object.hasOwn(cls, PARAMETERS)) Object.defineProperty(cls, PARAMETERS, { value: own, configurable: true });
  own[index] = { ...own[index], ...patch };
}

/**
 * The constructor's dependencies, one per parameter. A class without its own decorated
 * constructor inherits its parent's. Throws {@link MissingInjectError} naming every parameter that
 * lacks `@Inject`: without emitted parameter types there is nothing else to go by.
 */
export function getConstructorDependencies(target: AbstractNewable): DependencyRef[] {
  const declared = declaredParameters(target);
  const count = Math.max(target.length, declared.parameters.length, declared.arity);
  const missing: number[] = [];
  const deps: DependencyRef[] = [];
  for (let i = 0; i < count; i++) {
    const parameter = declared.parameters[i];
    if (parameter?.id === undefined) {
      missing.push(i);
      continue;
    }
    deps.push({ id: parameter.id, optional: parameter.optional === true, where: `constructor parameter #${i}` });
  }
  if (missing.length > 0) throw new MissingInjectError(describeId(target), missing);
  return deps;
}

function declaredParameters(target: AbstractNewable): { parameters: readonly (ParameterMetadata | undefined)[]; arity: number } {
  for (let cls: unknown = target; typeof cls === 'function' && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
    if (Object.hasOwn(cls, PARAMETERS)) return { parameters: (cls as Annotated)[PARAMETERS] ?? [], arity: cls.length };
  }
  return { parameters: [], arity: 0 };
}

/**
 * Refuses a Resettable declaration that could never work: a class without a `reset()` method, or
 * a lifetime whose instances are never reused (so never need a reset).
 */
export function checkResettableClass(target: AbstractNewable, scope: ServiceScope, where: string): void {
  if (scope !== 'singleton') {
    throw new ContainerConfigError(
      `${where}: only singletons can be declared resettable; a ${scope} instance is never reused across units of work, so there is nothing to reset`,
    );
  }
  if (typeof (target.prototype as { reset?: unknown } | undefined)?.reset !== 'function') {
    throw new ContainerConfigError(`${where}: declared resettable, but the class has no reset() method`);
  }
}

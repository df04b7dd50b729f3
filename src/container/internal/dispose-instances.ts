import type { ServiceFailure } from '../errors.js';
import type { Definition } from './definition.js';

/** An instance the container built itself, so it is the container's to dispose. */
export interface OwnedInstance {
  readonly definition: Definition;
  readonly instance: unknown;
}

type Disposer = () => unknown;

/**
 * The one disposer to call, in order of preference: `Symbol.asyncDispose`, `Symbol.dispose`, then a
 * plain `dispose()` method. Only one: classes commonly alias one to another.
 */
export function disposerOf(instance: unknown): Disposer | undefined {
  const key = disposerKey(instance);
  return key === undefined ? undefined : () => (instance as Record<PropertyKey, () => unknown>)[key]!();
}

/** Whether the instance has any disposer; cheap, for deciding what to track. */
export function hasDisposer(instance: unknown): boolean {
  return disposerKey(instance) !== undefined;
}

const DISPOSER_KEYS = [Symbol.asyncDispose, Symbol.dispose, 'dispose'] as const;

function disposerKey(instance: unknown): (typeof DISPOSER_KEYS)[number] | undefined {
  if (instance === null || (typeof instance !== 'object' && typeof instance !== 'function')) return undefined;
  return DISPOSER_KEYS.find((key) => typeof (instance as Record<PropertyKey, unknown>)[key] === 'function');
}

/**
 * Disposes each instance in the given order (callers pass dependents first), awaiting each
 * disposer; a throw or rejection is recorded and the next one still runs.
 */
export async function disposeInstances(instances: Iterable<OwnedInstance>): Promise<ServiceFailure[]> {
  const failures: ServiceFailure[] = [];
  for (const { definition, instance } of instances) {
    const dispose = disposerOf(instance);
    if (dispose === undefined) continue;
    try {
      await dispose();
    } catch (error) {
      failures.push({ id: definition.key, service: definition.name, error });
    }
  }
  return failures;
}

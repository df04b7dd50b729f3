import type { Binding } from './binding.js';
import { getServiceMetadata } from './decorators/class-metadata.js';
import type { AbstractNewable, ServiceId } from './service-id.js';

const DEFAULTS = Symbol.for('roadrunner-runtime.container.default-bindings');

const TAKEN = Symbol.for('roadrunner-runtime.container.default-bindings.taken');

type GlobalWithDefaults = typeof globalThis & { [DEFAULTS]?: readonly Binding[]; [TAKEN]?: boolean };

/**
 * Sets bindings that every container created afterwards in this process starts with, unless it
 * registers the same id itself (the app's own registration wins) or opts out with
 * `createContainer({ defaults: false })`. This is how configuration becomes services with no call
 * from the app, as a Symfony bundle's compiler pass registers them: the worker entry reads the
 * runtime config before it loads the app module and provides, e.g., the
 * `cache.adapter.rr_kv.NAME` caches of `kv.auto_register`. Process-wide configuration, never
 * per-unit state; kept on `globalThis` so two copies of this package agree.
 */
export function provideDefaultBindings(bindings: readonly Binding[]): void {
  (globalThis as GlobalWithDefaults)[DEFAULTS] = Object.freeze([...bindings]);
}

/** What {@link provideDefaultBindings} set; empty when nothing did. */
export function defaultBindings(): readonly Binding[] {
  return (globalThis as GlobalWithDefaults)[DEFAULTS] ?? [];
}

/**
 * Whether a container already started with the defaults: providing different ones afterwards would
 * leave that container with the old set, so the worker entry fails the boot instead.
 */
export function defaultBindingsTaken(): boolean {
  return (globalThis as GlobalWithDefaults)[TAKEN] === true;
}

/** The defaults whose ids the app does not register itself, for `createContainer`. */
export function defaultBindingsBesides(services: readonly AbstractNewable[], bindings: readonly Binding[]): Binding[] {
  const defaults = defaultBindings();
  if (defaults.length === 0) return [];
  (globalThis as GlobalWithDefaults)[TAKEN] = true;
  const taken = new Set<ServiceId>(bindings.map((binding) => binding.id));
  for (const service of services) {
    const metadata = getServiceMetadata(service);
    taken.add(metadata?.id ?? service);
    for (const alias of metadata?.aliases ?? []) taken.add(alias);
  }
  return defaults.filter((binding) => !taken.has(binding.id));
}

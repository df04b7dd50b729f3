import type { ContainerAdapter } from './adapters/container-adapter.js';
import { inversifyAdapter } from './adapters/inversify-adapter.js';
import { tsyringeAdapter } from './adapters/tsyringe-adapter.js';
import type { Binding } from './binding.js';
import type { Container } from './container.js';
import { ContainerConfigError } from './errors.js';
import { Registry } from './internal/registry.js';
import { RootContainer } from './internal/root-container.js';
import type { AbstractNewable } from './service-id.js';

/** Options of {@link createContainer}. */
export interface ContainerOptions {
  /**
   * The vendor container that builds singletons and transients: `'inversify'` (default, inversify 8),
   * `'tsyringe'` (tsyringe 4, loaded only when chosen), or an adapter object. One adapter object
   * per container: it holds the registrations.
   */
  adapter?: 'inversify' | 'tsyringe' | ContainerAdapter;
  /**
   * Classes registered from their `@Service()` options. A class without `@Service` is a public
   * singleton under its own class. Constructor parameters all need `@Inject`.
   */
  services?: readonly AbstractNewable[];
  /** Explicit registrations: values, classes, factories, aliases and per-scope values. */
  bindings?: readonly Binding[];
}

/**
 * Registers services and bindings, then checks the graph before anything is built: every
 * constructor parameter has `@Inject`, every dependency is registered (or optional), no id is taken
 * twice, nothing depends on itself, and no singleton reaches a request-scoped service (a
 * `CaptiveDependencyError` naming the chain). Call `boot()` next to create the singletons.
 */
export function createContainer(options: ContainerOptions = {}): Container {
  const registry = Registry.from(options.services ?? [], options.bindings ?? []);
  return new RootContainer(registry, adapterFrom(options.adapter));
}

function adapterFrom(adapter: ContainerOptions['adapter']): ContainerAdapter {
  if (adapter === undefined || adapter === 'inversify') return inversifyAdapter();
  if (adapter === 'tsyringe') return tsyringeAdapter();
  if (typeof adapter === 'object' && adapter !== null) return adapter;
  throw new ContainerConfigError(`unknown adapter "${String(adapter)}": use 'inversify', 'tsyringe' or an adapter object`);
}

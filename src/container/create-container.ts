import type { ContainerAdapter } from './adapters/container-adapter.js';
import { inversifyAdapter, type InversifyContainerLike } from './adapters/inversify-adapter.js';
import { tsyringeAdapter, type TsyringeContainerLike } from './adapters/tsyringe-adapter.js';
import type { Binding } from './binding.js';
import type { Container } from './container.js';
import { defaultBindingsBesides } from './default-bindings.js';
import { ContainerConfigError } from './errors.js';
import { RootContainer } from './internal/root-container.js';
import type { AbstractNewable, ServiceId } from './service-id.js';

/** Options of {@link createContainer}. */
export interface ContainerOptions {
  /**
   * The vendor container, the engine that builds singletons and transients:
   * - `'inversify'` (default, inversify 8) or `'tsyringe'` (tsyringe 4, loaded only when chosen):
   *   a fresh container holding our registrations only;
   * - your own inversify `Container` or tsyringe container (its global `container` or a child):
   *   everything registered in it (inversify bindings and `ContainerModule`s, tsyringe
   *   `register()`, `@singleton()`, `@scoped()`) resolves through this container too, inside our
   *   scopes, with our checks, overrides, resets and disposal. Register everything before calling
   *   `createContainer()`: the graph is checked once, here. See docs/container.md;
   * - an adapter object (`inversifyAdapter(container)`, `tsyringeAdapter(container)`, your own).
   *   One adapter object per container: it holds the registrations.
   */
  adapter?: 'inversify' | 'tsyringe' | InversifyContainerLike | TsyringeContainerLike | ContainerAdapter | undefined;
  /**
   * Classes registered from their `@Service()` options. A class without `@Service` is a public
   * singleton under its own class. Constructor parameters all need `@Inject`.
   */
  services?: readonly AbstractNewable[] | undefined;
  /** Explicit registrations: values, classes, factories, aliases and per-scope values. */
  bindings?: readonly Binding[] | undefined;
  /**
   * Singletons registered natively in your vendor container that keep per-unit-of-work state:
   * their `reset()` runs after every unit of work once they exist (see `Resettable`). Services
   * registered here declare it on `@Service({ resettable: true })` or their binding instead.
   */
  resettable?: readonly ServiceId[] | undefined;
  /**
   * Start with the process's default bindings (`provideDefaultBindings`: the worker entry provides
   * the services the runtime config asks for, such as the KV caches of `kv.auto_register`), the
   * app's own registrations winning. Default true.
   */
  defaults?: boolean | undefined;
  /**
   * `scope.run(fn)` makes the scope {@link currentScope}'s answer for everything `fn` calls,
   * awaited or not (AsyncLocalStorage). Default true. `false`: `scope.run(fn)` only calls `fn`, and
   * `currentScope()` throws `NoActiveScopeError`; code reaches request-scoped services through
   * injection or the scope it is handed (controllers, `@JobHandler`s and listeners resolve from
   * their unit's scope either way). On Node 20 and 22, AsyncLocalStorage runs hooks for every
   * promise in the process once any code has entered one. Turning it off saved ~2.5 us of ~26 per
   * hello request over pipes; under rr the difference was inside bench:http's noise
   * (docs/performance.md). Another library (Sentry, OpenTelemetry, the Temporal SDK) that enters
   * one switches the hooks on anyway. The Temporal bridge needs it on.
   */
  asyncContext?: boolean | undefined;
}

/**
 * Registers services and bindings, adopts what the vendor container already holds, then checks the
 * graph before anything is built: every constructor parameter has `@Inject`, every dependency is
 * registered (or optional), no id is taken twice, nothing depends on itself, and no singleton
 * reaches a request-scoped service (a `CaptiveDependencyError` naming the chain; native
 * registrations whose dependencies only show at run time are listed by `uncheckedServices()` and
 * checked as they are built). Call `boot()` next to create the singletons.
 */
export function createContainer(options: ContainerOptions = {}): Container {
  const services = options.services ?? [];
  const bindings = options.bindings ?? [];
  const defaults = options.defaults === false ? [] : defaultBindingsBesides(services, bindings);
  return RootContainer.create(
    {
      services,
      bindings: defaults.length === 0 ? bindings : [...defaults, ...bindings],
      resettable: options.resettable ?? [],
      asyncContext: options.asyncContext ?? true,
    },
    adapterFrom(options.adapter),
  );
}

function adapterFrom(adapter: ContainerOptions['adapter']): ContainerAdapter {
  if (adapter === undefined || adapter === 'inversify') return inversifyAdapter();
  if (adapter === 'tsyringe') return tsyringeAdapter();
  if (isTsyringeContainer(adapter)) return tsyringeAdapter(adapter);
  if (isInversifyContainer(adapter)) return inversifyAdapter(adapter);
  if (isAdapter(adapter)) return adapter;
  throw new ContainerConfigError(
    `unknown adapter ${typeof adapter === 'string' ? `"${adapter}"` : 'object'}: use 'inversify', 'tsyringe', an inversify Container, a tsyringe container or an adapter object`,
  );
}

// Duck-typed rather than instanceof: the app may have its own copy of the vendor package.
function isTsyringeContainer(value: unknown): value is TsyringeContainerLike {
  return hasMethods(value, ['register', 'resolve', 'createChildContainer', 'isRegistered']);
}

function isInversifyContainer(value: unknown): value is InversifyContainerLike {
  return hasMethods(value, ['bind', 'get', 'isBound', 'load', 'register']);
}

function isAdapter(value: unknown): value is ContainerAdapter {
  return hasMethods(value, ['bind', 'get', 'dispose']) && typeof (value as { name?: unknown }).name === 'string';
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

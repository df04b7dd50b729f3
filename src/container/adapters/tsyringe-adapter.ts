import { createRequire } from 'node:module';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import { ContainerError, ScopeRequiredError } from '../errors.js';
import { describeId } from '../service-id.js';
import type {
  AdapterBinding,
  AdapterHost,
  AdapterKey,
  ContainerAdapter,
  NativeService,
  UnitOwner,
  VendorUnit,
} from './container-adapter.js';
import {
  describeTsyringeService,
  isClass,
  LIFECYCLE,
  registryStoreOf,
  tsyringeClassDependencies,
  tsyringeRegistrationsOf,
  type TsyringeRegistration,
} from './read-tsyringe-registrations.js';

const require = createRequire(import.meta.url);

/** A tsyringe 4 container (`container` from tsyringe, or a child of it), as `createContainer({ adapter })` takes it. */
export type TsyringeContainerLike = DependencyContainer;

/**
 * tsyringe 4, optionally on top of the user's own tsyringe container (its global `container`,
 * where `@singleton()`, `@scoped()` and `@injectable({ token })` register, or a child of it).
 * Loaded on first use, synchronously through `require` (it ships CommonJS), so apps on the
 * inversify default never load it, nor need the Reflect polyfill it refuses to start without.
 *
 * Our services live in a child of the user's container (or of tsyringe's global one), so theirs
 * stay untouched. tsyringe rejects lifecycles on factory providers, so our singletons cache in the
 * factory's closure. A unit of work that needs the vendor gets tsyringe's own unit, a child
 * container: `ContainerScoped` registrations are fresh in it, and the disposables tsyringe tracks
 * for what it constructs there go away with it (on the root they would pile up for the worker's life).
 */
export function tsyringeAdapter(container?: DependencyContainer): ContainerAdapter {
  require('reflect-metadata');
  const tsyringe = require('tsyringe') as typeof import('tsyringe');
  return new TsyringeEngine(container, container ?? tsyringe.container);
}

class TsyringeEngine implements ContainerAdapter {
  readonly name = 'tsyringe';
  readonly #user: DependencyContainer | undefined;
  readonly #ours: DependencyContainer;
  /** The unit each per-unit child container serves; factories learn theirs from the container they are given. */
  readonly #units = new WeakMap<DependencyContainer, UnitOwner>();
  #host: AdapterHost | undefined;
  /** The user's registrations we adopted, by token. */
  readonly #native = new Map<AdapterKey, TsyringeRegistration[]>();
  /** Private tokens of copies of native registrations (request-scoped ones, rebuilt singletons). */
  readonly #copies = new Map<AdapterKey, symbol>();
  readonly #scoped = new Set<AdapterKey>();
  /**
   * What our delegates last threw inside a resolution: tsyringe rethrows whatever a constructor
   * parameter's resolution throws as a new plain Error, and ours says more (a captive dependency
   * found at run time, a scope value missing, a disposed scope).
   */
  #thrown: ContainerError | undefined;
  /** Resolutions of ours in progress (they nest: a unit's service injecting another). */
  #depth = 0;

  constructor(user: DependencyContainer | undefined, parent: DependencyContainer) {
    this.#user = user;
    this.#ours = parent.createChildContainer();
  }

  adopt(host: AdapterHost): readonly NativeService[] {
    this.#host = host;
    if (this.#user === undefined) return [];
    const services: NativeService[] = [];
    for (const [token, registrations] of tsyringeRegistrationsOf(this.#user)) {
      const service = describeTsyringeService(token, registrations);
      this.#native.set(token as AdapterKey, registrations);
      services.push(service);
      // Singletons built before createContainer() are the user's: only those built through us are
      // recorded. Multi-registered ones stay tsyringe's (one token, several instances).
      if (service.lifetime === 'singleton' && service.multiple !== true && registrations[0]!.instance === undefined) {
        this.#ours.afterResolution(token, (_token, instance) => host.created(service.key, instance));
      }
    }
    return services;
  }

  bind(binding: AdapterBinding): void {
    const build = (c: DependencyContainer): unknown =>
      binding.create(
        ...binding.deps.map((dep) =>
          dep.optional && !c.isRegistered(token(dep.key), true) ? undefined : c.resolve(token(dep.key)),
        ),
      );
    let cached = false;
    let instance: unknown;
    const useFactory =
      binding.lifetime === 'transient'
        ? build
        : (c: DependencyContainer) => {
            if (!cached) {
              instance = build(c);
              cached = true;
            }
            return instance;
          };
    // A later registration of the same token wins in tsyringe, and takes the cache with it.
    this.#ours.register(token(binding.key), { useFactory });
  }

  get(key: AdapterKey): unknown {
    return this.#resolve(this.#ours, key);
  }

  bindScoped(key: AdapterKey): void {
    if (this.#scoped.has(key)) return;
    this.#scoped.add(key);
    const delegate: TsyringeRegistration = {
      provider: {
        useFactory: (c: DependencyContainer) => {
          try {
            return this.#ownerOf(c, key).resolveKey(key);
          } catch (error) {
            if (error instanceof ContainerError) this.#thrown = error;
            throw error;
          }
        },
      },
      options: { lifecycle: LIFECYCLE.Transient },
    };
    if (this.#native.has(key)) this.#copyOf(key, LIFECYCLE.ContainerScoped);
    // Replaces the copy createChildContainer() made of a ContainerScoped registration, so that
    // resolveAll() does not see both.
    registryStoreOf(this.#ours).setAll(token(key), [delegate]);
  }

  openUnit(owner: UnitOwner): VendorUnit {
    const unit = this.#ours.createChildContainer();
    this.#units.set(unit, owner);
    return { get: (key) => this.#resolve(unit, this.#scoped.has(key) ? (this.#copies.get(key) ?? key) : key) };
  }

  describeImplicit(key: AdapterKey): NativeService | undefined {
    // tsyringe constructs a class nobody registered, as a transient, when something injects it.
    if (this.#user === undefined || !isClass(key)) return undefined;
    return { key, lifetime: 'transient', registration: 'tsyringe class (not registered, built on demand)', deps: tsyringeClassDependencies(key), owned: true };
  }

  createNative(key: AdapterKey): unknown {
    return this.#resolve(this.#ours, this.#copyOf(key, LIFECYCLE.Transient));
  }

  dispose(): void {
    // Only our child: the user's container and what it registered stay theirs.
    this.#ours.reset();
  }

  #resolve(container: DependencyContainer, key: AdapterKey): unknown {
    if (this.#depth++ === 0) this.#thrown = undefined;
    try {
      return container.resolve(token(key));
    } catch (error) {
      throw this.#thrown !== undefined && !(error instanceof ContainerError) ? this.#thrown : error;
    } finally {
      if (--this.#depth === 0) this.#thrown = undefined;
    }
  }

  #ownerOf(container: DependencyContainer, key: AdapterKey): UnitOwner {
    if (container === this.#ours) throw new ScopeRequiredError(key);
    const owner = this.#units.get(container) ?? this.#host?.currentUnit();
    if (owner === undefined) throw new ScopeRequiredError(key);
    return owner;
  }

  /** A private token registered in our container with the user's provider for `key`, made once. */
  #copyOf(key: AdapterKey, lifecycle: number): symbol {
    let copy = this.#copies.get(key);
    if (copy !== undefined) return copy;
    const registrations = this.#native.get(key);
    if (registrations === undefined || registrations.length === 0) throw new Error(`no native registration to copy for "${describeId(key)}"`);
    const { provider } = registrations[registrations.length - 1]!;
    copy = Symbol(`${describeId(key)} (native registration)`);
    const options = 'useValue' in provider || 'useFactory' in provider ? undefined : { lifecycle };
    this.#ours.register(copy, provider as never, options as never);
    this.#copies.set(key, copy);
    return copy;
  }

}

const token = (key: AdapterKey) => key as InjectionToken<unknown>;

import type { Binding } from '@inversifyjs/core';
import { Container as InversifyContainer, type ResolutionContext, type ServiceIdentifier } from 'inversify';
import { ScopeRequiredError } from '../errors.js';
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
  describeInversifyService,
  inversifyBindingsOf,
  inversifyRegistryOf,
  resolvedValueInjectOptions,
  type InversifyRegistry,
} from './read-inversify-bindings.js';

/** An inversify 8 `Container`, as `createContainer({ adapter })` takes it. */
export type InversifyContainerLike = InversifyContainer;

/**
 * inversify 8 (the default), optionally on top of the user's own inversify container.
 *
 * Our services live in a child of the user's container, so theirs stay untouched and ours can
 * shadow theirs (overrides). Our recipes become `toResolvedValue(create, deps)`: inversify plans and
 * caches the graph but never reads our classes' metadata, our `@Inject` stays the single source.
 * `autobind` stays off: with child containers it has bound sub-dependencies into the wrong
 * container (inversify/monorepo#1444), and every id must be declared for the graph checks anyway.
 *
 * The user's bindings (`@injectable()` classes, `ContainerModule`s, `toDynamicValue`, ...) are
 * adopted as they are and built by inversify, planned once for the worker's life. inversify's
 * request scope means "one per `get()`"; ours is one per unit of work, so a request-scoped binding
 * is shadowed by a value that asks the current unit, which builds it once from a private transient
 * copy of the user's binding. No child container per unit (inversify's costs tens of us and plans
 * every graph again): the unit is known because every resolution we start is synchronous and
 * records whose it is.
 */
export function inversifyAdapter(container?: InversifyContainer): ContainerAdapter {
  return new InversifyEngine(container);
}

/** The root of the stack: resolving a request-scoped id from here is an error, never a guess. */
const ROOT: UnitOwner = {
  resolveKey(key) {
    throw new ScopeRequiredError(key);
  },
};

class InversifyEngine implements ContainerAdapter {
  readonly name = 'inversify';
  readonly #user: InversifyContainer | undefined;
  readonly #ours: InversifyContainer;
  /** Whose resolution is running: pushed around every synchronous `get()` we start. */
  readonly #resolving: UnitOwner[] = [];
  #host: AdapterHost | undefined;
  #registry: InversifyRegistry | undefined;
  /** The user's bindings we adopted, by service id. */
  readonly #native = new Map<ServiceIdentifier, Binding[]>();
  /** Private ids of transient copies of native bindings (request-scoped ones, rebuilt singletons). */
  readonly #copies = new Map<AdapterKey, symbol>();
  readonly #scoped = new Set<AdapterKey>();

  constructor(user: InversifyContainer | undefined) {
    this.#user = user;
    this.#ours = user === undefined ? new InversifyContainer() : new InversifyContainer({ parent: user });
  }

  adopt(host: AdapterHost): readonly NativeService[] {
    this.#host = host;
    if (this.#user === undefined) return [];
    this.#registry = inversifyRegistryOf(this.#user);
    const services: NativeService[] = [];
    for (const [id, bindings] of inversifyBindingsOf(this.#registry)) {
      const service = describeInversifyService(id, bindings);
      this.#native.set(id, bindings);
      services.push(service);
      // Singletons built before createContainer() are the user's: only those built through us are
      // recorded. Multi-bound ones stay inversify's (one id, several instances).
      if (service.lifetime === 'singleton' && service.multiple !== true && !isBuilt(bindings[0]!)) {
        this.#ours.onActivation(id, (_context, instance) => {
          host.created(service.key, instance);
          return instance;
        });
      }
    }
    return services;
  }

  describeImplicit(key: AdapterKey): NativeService | undefined {
    // With autobind on, the user's container binds a class on first lookup, as get() would.
    if (this.#registry === undefined || typeof key !== 'function') return undefined;
    const bindings = [...(this.#registry.bindings.get(key as ServiceIdentifier) ?? [])];
    if (bindings.length === 0) return undefined;
    this.#native.set(key as ServiceIdentifier, bindings);
    return describeInversifyService(key as ServiceIdentifier, bindings);
  }

  bind(binding: AdapterBinding): void {
    const id = binding.key as ServiceIdentifier;
    // Sync unbind is safe: we register no deactivation hooks, and the replaced instance must survive.
    if (this.#ours.isCurrentBound(id)) this.#ours.unbind(id);
    const deps = binding.deps.map((dep) =>
      dep.optional ? { serviceIdentifier: dep.key as ServiceIdentifier, optional: true as const } : (dep.key as ServiceIdentifier),
    );
    const syntax = this.#ours.bind(id).toResolvedValue(binding.create, deps as never);
    if (binding.lifetime === 'singleton') syntax.inSingletonScope();
    else syntax.inTransientScope();
  }

  get(key: AdapterKey): unknown {
    return this.#resolve(ROOT, key as ServiceIdentifier);
  }

  bindScoped(key: AdapterKey): void {
    if (this.#scoped.has(key)) return;
    this.#scoped.add(key);
    const id = key as ServiceIdentifier;
    // Native ones are built from a copy, since the delegate now answers under their id.
    if (this.#native.has(id)) this.#copyOf(key);
    if (this.#ours.isCurrentBound(id)) this.#ours.unbind(id);
    this.#ours.bind(id).toDynamicValue(() => this.#ownerNow(key).resolveKey(key)).inTransientScope();
  }

  openUnit(owner: UnitOwner): VendorUnit {
    return {
      get: (key) => this.#resolve(owner, (this.#native.has(key as ServiceIdentifier) && this.#scoped.has(key) ? this.#copyOf(key) : key) as ServiceIdentifier),
    };
  }

  createNative(key: AdapterKey): unknown {
    return this.#resolve(ROOT, this.#copyOf(key));
  }

  dispose(): void {
    this.#ours.unbindAll();
  }

  #resolve(owner: UnitOwner, id: ServiceIdentifier): unknown {
    this.#resolving.push(owner);
    try {
      return this.#ours.get(id);
    } finally {
      this.#resolving.pop();
    }
  }

  /** The unit a request-scoped id is being resolved for: ours on the stack, else the running code's. */
  #ownerNow(key: AdapterKey): UnitOwner {
    const owner = this.#resolving[this.#resolving.length - 1] ?? this.#host?.currentUnit();
    if (owner === undefined) throw new ScopeRequiredError(key);
    return owner;
  }

  /** A private id bound to a transient copy of the user's binding for `key`, made once. */
  #copyOf(key: AdapterKey): symbol {
    let copy = this.#copies.get(key);
    if (copy !== undefined) return copy;
    const bindings = this.#native.get(key as ServiceIdentifier);
    if (bindings === undefined || bindings.length !== 1) throw new Error(`no single native binding to copy for "${describeId(key)}"`);
    copy = Symbol(`${describeId(key)} (native binding)`);
    copyBinding(this.#ours, copy, bindings[0]!, this.#registry!);
    this.#copies.set(key, copy);
    return copy;
  }
}

function isBuilt(binding: Binding): boolean {
  return 'cache' in binding && binding.cache.isRight;
}

/**
 * Binds `id` in `target` to what `binding` builds, as a transient, with the binding's own and the
 * service's activation handlers; dependencies resolve from `target`, so our overrides apply.
 */
function copyBinding(target: InversifyContainer, id: symbol, binding: Binding, registry: InversifyRegistry): void {
  const own = 'onActivation' in binding ? binding.onActivation : undefined;
  const activate = (context: ResolutionContext, instance: unknown): unknown => {
    let value = own === undefined ? instance : own(context, instance as never);
    for (const activation of registry.activations.get(binding.serviceIdentifier) ?? []) value = activation(context, value);
    return value;
  };
  const bind = target.bind<unknown>(id);
  switch (binding.type) {
    case 'Instance':
      bind.to(binding.implementationType).inTransientScope().onActivation(activate);
      return;
    case 'DynamicValue':
      bind.toDynamicValue(binding.value).inTransientScope().onActivation(activate);
      return;
    case 'ResolvedValue':
      bind.toResolvedValue(binding.factory, resolvedValueInjectOptions(binding.metadata.arguments) as never).inTransientScope().onActivation(activate);
      return;
    case 'ConstantValue':
      bind.toConstantValue(binding.value).onActivation(activate);
      return;
    case 'Factory':
      bind.toFactory(binding.factory as never).onActivation(activate);
      return;
    case 'ServiceRedirection':
      bind.toService(binding.targetServiceIdentifier);
  }
}

/**
 * The same small application registered natively in each vendor's own container, the way an app
 * that already uses inversify or tsyringe has it, plus services of ours on both sides of it. The
 * contract suite (`../native-registrations.test.ts`) runs against each.
 *
 * Native graph (vendor decorators and registration APIs only):
 *   Clock      singleton            no dependencies
 *   Cart       request-scoped       injects HTTP_REQUEST (ours, per scope) and Clock
 *   Checkout   transient            injects Cart
 *   Reporter   singleton            injects 'app.audit' (an alias of our Audit)
 *   Metrics    singleton            reset(): declared Resettable through createContainer({ resettable })
 *   Connection singleton            an unrelated reset() (think RESET on a Redis client), dispose()
 *   SETTINGS   a value
 * Ours (@Service): Audit (singleton, injects the native Clock), OrderService (request-scoped,
 * injects the native Cart and Checkout).
 */
import { Container as InversifyContainer, ContainerModule, inject as inversifyInject, injectable as inversifyInjectable } from 'inversify';
import {
  container as tsyringeGlobal,
  inject as tsyringeInject,
  injectable as tsyringeInjectable,
  Lifecycle,
  scoped,
  singleton,
} from 'tsyringe';
import { createContainer, createToken, Inject, Service, type Container, type ContainerOptions } from '../../../src/container/index.js';

export const HTTP_REQUEST = createToken<{ id: number }>('HTTP_REQUEST');
export const SETTINGS = createToken<{ region: string }>('SETTINGS');
export const AUDIT = 'app.audit';

export interface ClockLike {
  readonly serial: number;
}
export interface CartLike {
  readonly serial: number;
  readonly request: { id: number };
  readonly clock: ClockLike;
  readonly items: string[];
}
export interface CheckoutLike {
  readonly cart: CartLike;
}
export interface AuditLike {
  readonly clock: ClockLike;
  readonly lines: string[];
}
export interface ReporterLike {
  readonly audit: AuditLike;
}
export interface MetricsLike {
  hits: number;
  reset(): void;
}
export interface ConnectionLike {
  db: number;
  reset(): void;
}
export interface OrderServiceLike {
  readonly cart: CartLike;
  readonly checkout: CheckoutLike;
}

type Class<T> = abstract new (...args: any[]) => T;

export interface NativeFixture {
  readonly vendor: 'inversify' | 'tsyringe';
  /** The vendor container the app registered everything in. */
  readonly userContainer: object;
  readonly Clock: Class<ClockLike>;
  readonly Cart: Class<CartLike>;
  readonly Checkout: Class<CheckoutLike>;
  readonly Reporter: Class<ReporterLike>;
  readonly Metrics: Class<MetricsLike>;
  readonly Connection: Class<ConnectionLike>;
  readonly Audit: Class<AuditLike>;
  readonly OrderService: Class<OrderServiceLike>;
  /** Constructions and disposals, in order: `Clock#1`, `Cart#1 disposed`... */
  readonly log: string[];
  /** Our container on top of the user's, with our services, HTTP_REQUEST and Metrics declared Resettable. */
  container(extra?: Partial<ContainerOptions>): Container;
  /**
   * Registers, natively, a singleton that reaches Cart only when it runs (inversify
   * `toDynamicValue(ctx => ctx.get(Cart))`, tsyringe `useFactory(c => c.resolve(Cart))` injected into
   * a `@singleton()`): the graph check cannot see the chain. Returns its id.
   */
  registerCartPeekingSingleton(): Class<{ peeked: unknown }>;
  /** Same, as a transient: legitimate inside a unit of work, refused from the root. */
  registerCartPeekingTransient(): Class<{ peeked: unknown }>;
  /** Cleans up whatever the vendor keeps process-wide. */
  teardown(): void;
}

/** The natives each vendor registers, and how to make more. */
interface Natives {
  readonly Clock: Class<ClockLike>;
  readonly Cart: Class<CartLike>;
  readonly Checkout: Class<CheckoutLike>;
  readonly Reporter: Class<ReporterLike>;
  readonly Metrics: Class<MetricsLike>;
  readonly Connection: Class<ConnectionLike>;
  readonly registerCartPeekingSingleton: NativeFixture['registerCartPeekingSingleton'];
  readonly registerCartPeekingTransient: NativeFixture['registerCartPeekingTransient'];
}

/** Adds our services (depending on the native ones by class) and the container factory. */
function assemble(vendor: NativeFixture['vendor'], userContainer: object, log: string[], natives: Natives, teardown: () => void): NativeFixture {
  @Service({ aliases: [AUDIT] })
  class Audit implements AuditLike {
    readonly lines: string[] = [];
    constructor(@Inject(natives.Clock) readonly clock: ClockLike) {}
  }

  @Service({ scope: 'request' })
  class OrderService implements OrderServiceLike {
    constructor(@Inject(natives.Cart) readonly cart: CartLike, @Inject(natives.Checkout) readonly checkout: CheckoutLike) {}
  }

  return {
    vendor,
    userContainer,
    ...natives,
    Audit,
    OrderService,
    log,
    container: (extra = {}) =>
      createContainer({
        adapter: userContainer as ContainerOptions['adapter'],
        services: [Audit, OrderService],
        bindings: [{ id: HTTP_REQUEST, fromScope: true }],
        resettable: [natives.Metrics],
        ...extra,
      }),
    teardown,
  };
}

/** Plain bodies the vendors' decorated classes extend: only the registration differs. */
function bodies(log: string[]) {
  let clocks = 0;
  let carts = 0;
  class ClockBody implements ClockLike {
    readonly serial = ++clocks;
    constructor() {
      log.push(`Clock#${this.serial}`);
    }
    dispose(): void {
      log.push(`Clock#${this.serial} disposed`);
    }
  }
  class CartBody {
    readonly serial = ++carts;
    readonly items: string[] = [];
    constructor() {
      log.push(`Cart#${this.serial}`);
    }
    dispose(): void {
      log.push(`Cart#${this.serial} disposed`);
    }
  }
  class MetricsBody implements MetricsLike {
    hits = 0;
    reset(): void {
      this.hits = 0;
    }
  }
  class ConnectionBody implements ConnectionLike {
    db = 3;
    reset(): void {
      this.db = 0;
    }
    dispose(): void {
      log.push('Connection disposed');
    }
  }
  class CartPeeker {
    constructor(readonly peeked: unknown) {}
  }
  return { ClockBody, CartBody, MetricsBody, ConnectionBody, CartPeeker };
}

/** inversify 8: `@injectable()` classes, scopes from the decorator or the binding, a `ContainerModule`. */
export function inversifyNatives(): NativeFixture {
  const log: string[] = [];
  const { ClockBody, CartBody, MetricsBody, ConnectionBody, CartPeeker } = bodies(log);

  @inversifyInjectable('Singleton')
  class Clock extends ClockBody {}

  @inversifyInjectable()
  class Cart extends CartBody implements CartLike {
    constructor(@inversifyInject(HTTP_REQUEST) readonly request: { id: number }, @inversifyInject(Clock) readonly clock: Clock) {
      super();
    }
  }

  @inversifyInjectable()
  class Checkout implements CheckoutLike {
    constructor(@inversifyInject(Cart) readonly cart: Cart) {}
  }

  @inversifyInjectable()
  class Reporter implements ReporterLike {
    constructor(@inversifyInject(AUDIT) readonly audit: AuditLike) {}
  }

  @inversifyInjectable()
  class Metrics extends MetricsBody {}

  class Connection extends ConnectionBody {}

  const user = new InversifyContainer();
  user.load(
    new ContainerModule(({ bind }) => {
      bind(Clock).toSelf(); // singleton from @injectable('Singleton')
      bind(Cart).toSelf().inRequestScope();
      bind(Checkout).toSelf(); // transient: inversify's default
      bind(Reporter).toSelf().inSingletonScope();
      bind(Metrics).toSelf().inSingletonScope();
      bind(Connection).toDynamicValue(() => new Connection()).inSingletonScope();
      bind(SETTINGS).toConstantValue({ region: 'eu' });
    }),
  );
  const peeker = (singleton: boolean) => () => {
    class Peeker extends CartPeeker {}
    const syntax = user.bind(Peeker).toDynamicValue((context) => new Peeker(context.get(Cart)));
    if (singleton) syntax.inSingletonScope();
    return Peeker;
  };
  return assemble('inversify', user, log, {
    Clock,
    Cart,
    Checkout,
    Reporter,
    Metrics,
    Connection,
    registerCartPeekingSingleton: peeker(true),
    registerCartPeekingTransient: peeker(false),
  }, () => {});
}

/**
 * tsyringe 4: `@singleton()` and `@scoped(Lifecycle.ContainerScoped)` register in tsyringe's global
 * container (so the fixture uses it, and resets it in teardown), `@injectable()` classes, `register()`.
 */
export function tsyringeNatives(): NativeFixture {
  tsyringeGlobal.reset();
  const log: string[] = [];
  const { ClockBody, CartBody, MetricsBody, ConnectionBody, CartPeeker } = bodies(log);

  @singleton()
  class Clock extends ClockBody {}

  @scoped(Lifecycle.ContainerScoped)
  class Cart extends CartBody implements CartLike {
    constructor(@tsyringeInject(HTTP_REQUEST) readonly request: { id: number }, @tsyringeInject(Clock) readonly clock: Clock) {
      super();
    }
  }

  @tsyringeInjectable()
  class Checkout implements CheckoutLike {
    constructor(@tsyringeInject(Cart) readonly cart: Cart) {}
  }

  @singleton()
  class Reporter implements ReporterLike {
    constructor(@tsyringeInject(AUDIT) readonly audit: AuditLike) {}
  }

  @tsyringeInjectable()
  class Metrics extends MetricsBody {}

  @tsyringeInjectable()
  class Connection extends ConnectionBody {}

  tsyringeGlobal.register(Checkout, { useClass: Checkout });
  tsyringeGlobal.registerSingleton(Metrics);
  tsyringeGlobal.register(Connection, { useClass: Connection }, { lifecycle: Lifecycle.Singleton });
  tsyringeGlobal.register(SETTINGS, { useValue: { region: 'eu' } });
  return assemble('tsyringe', tsyringeGlobal, log, {
    Clock,
    Cart,
    Checkout,
    Reporter,
    Metrics,
    Connection,
    registerCartPeekingSingleton: () => {
      @singleton()
      class Peeker extends CartPeeker {
        constructor(@tsyringeInject('cart.peek') peeked: unknown) {
          super(peeked);
        }
      }
      tsyringeGlobal.register('cart.peek', { useFactory: (c) => c.resolve(Cart) });
      return Peeker;
    },
    registerCartPeekingTransient: () => {
      class Peeker extends CartPeeker {}
      tsyringeGlobal.register(Peeker, { useFactory: (c) => new Peeker(c.resolve(Cart)) });
      return Peeker;
    },
  }, () => tsyringeGlobal.reset());
}

export const NATIVE_FIXTURES = [inversifyNatives, tsyringeNatives] as const;

/** Runs `body` once per vendor, with a fresh native fixture for each test. */
export function describeNativeContract(title: string, body: (fixture: () => NativeFixture) => void): void {
  for (const make of NATIVE_FIXTURES) {
    describe(`${title} [${make === inversifyNatives ? 'inversify' : 'tsyringe'} native]`, () => {
      let current: NativeFixture | undefined;
      afterEach(() => {
        current?.teardown();
        current = undefined;
      });
      body(() => (current = make()));
    });
  }
}

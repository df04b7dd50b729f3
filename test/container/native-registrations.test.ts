/**
 * The container contract for registrations made natively in the user's own inversify or tsyringe
 * container (`createContainer({ adapter: theirContainer })`): they resolve through our container,
 * inside our scopes, under our isolation, disposal, override, reset and captive-dependency rules.
 * Fixtures: ./support/native-fixtures.ts (the same app registered with each vendor's own API).
 *
 * Why a stand-in could not pass: each test says what a `Map` put in place of the vendor (the
 * 15-line adapter that caches our own factories) would lack. In short, a Map holds no
 * registrations of the user's: it cannot read `@injectable()` / `@inject()` metadata, run a
 * `ContainerModule`, `toDynamicValue` or `register()` provider, or know a binding's lifetime.
 */
import { expect } from 'chai';
import {
  CaptiveDependencyError,
  ContainerConfigError,
  currentScope,
  DisposedError,
  Inject,
  MissingDependencyError,
  restoreOverridesAfterEach,
  ScopeRequiredError,
  Service,
  ServicesResetter,
  type Container,
} from '../../src/container/index.js';
import { tick } from './support/describe-contract.js';
import { describeNativeContract, HTTP_REQUEST, SETTINGS } from './support/native-fixtures.js';

describeNativeContract('native registrations resolve through our container', (fixture) => {
  it('builds a native singleton once, with the vendor, and hands out the instance the vendor caches', () => {
    // Map stand-in: Clock was registered in the user's container, never with us; a Map has no
    // entry for it (ServiceNotFoundError), nor the vendor's singleton cache to share.
    const app = fixture();
    const container = app.container();
    const clock = container.get(app.Clock);
    expect(clock).to.be.instanceOf(app.Clock);
    expect(container.get(app.Clock)).to.equal(clock);
    expect(container.get(app.Audit).clock).to.equal(clock);
    expect(app.log.filter((line) => line.startsWith('Clock'))).to.deep.equal(['Clock#1']);
    expect(container.has(app.Clock)).to.equal(true);
  });

  it('builds a native transient anew each time, its native dependencies resolved by the vendor', () => {
    // Map stand-in: it caches; it cannot tell a transient registration from a singleton one.
    const app = fixture();
    const container = app.container();
    const scope = container.createScope([[HTTP_REQUEST, { id: 1 }]]);
    const first = scope.get(app.Checkout);
    expect(scope.get(app.Checkout)).to.not.equal(first);
    expect(first.cart).to.equal(scope.get(app.Cart));
  });

  it('gives a native request-scoped service one instance per unit of work, shared by everything in the unit', () => {
    // Map stand-in: no request scope to map (inversify inRequestScope, tsyringe ContainerScoped),
    // and no way for a vendor-built Checkout to receive this unit's Cart.
    const app = fixture();
    const container = app.container();
    const one = container.createScope([[HTTP_REQUEST, { id: 1 }]]);
    const two = container.createScope([[HTTP_REQUEST, { id: 2 }]]);
    const cart = one.get(app.Cart);
    expect(one.get(app.Cart)).to.equal(cart);
    expect(one.get(app.Checkout).cart).to.equal(cart);
    expect(one.get(app.OrderService).cart).to.equal(cart);
    expect(one.get(app.OrderService).checkout.cart).to.equal(cart);
    expect(cart.request.id).to.equal(1);
    expect(two.get(app.Cart)).to.not.equal(cart);
    expect(two.get(app.Cart).request.id).to.equal(2);
    expect(cart.clock).to.equal(container.get(app.Clock));
  });

  it('keeps concurrent units apart, native services reached through currentScope() across awaits', async () => {
    // Map stand-in: nothing ties a vendor-built service to the unit whose code is running.
    const app = fixture();
    const container = app.container();
    const units = Array.from({ length: 20 }, (_, id) => container.createScope([[HTTP_REQUEST, { id }]]));
    const seen = await Promise.all(
      units.map((scope) =>
        scope.run(async () => {
          await tick(Math.random() * 3);
          const order = currentScope().get(app.OrderService);
          order.cart.items.push(`item of ${order.cart.request.id}`);
          await tick(Math.random() * 3);
          return currentScope().get(app.Checkout).cart;
        }),
      ),
    );
    seen.forEach((cart, id) => {
      expect(cart.request.id).to.equal(id);
      expect(cart.items).to.deep.equal([`item of ${id}`]);
      expect(cart).to.equal(units[id]!.get(app.Cart));
    });
  });

  it('refuses native request-scoped services, and transients reaching one, from the root', () => {
    // Map stand-in: it would hand out one Cart to every caller, the leak the scope exists to prevent.
    const app = fixture();
    const container = app.container();
    expect(() => container.get(app.Cart)).to.throw(ScopeRequiredError, `"Cart" is request-scoped`);
    expect(() => container.get(app.Checkout)).to.throw(ScopeRequiredError, '("Checkout" -> "Cart")');
  });

  it('lets native classes inject our services by id and alias, and ours inject theirs', () => {
    // Map stand-in: the vendor never sees our ids, so a native Reporter could not get our Audit.
    const app = fixture();
    const container = app.container();
    const reporter = container.get(app.Reporter);
    expect(reporter.audit).to.equal(container.get(app.Audit));
    expect(reporter.audit.clock).to.equal(container.get(app.Clock));
    expect(container.get(SETTINGS)).to.deep.equal({ region: 'eu' });
  });

  it('lets a scope provide() a native request-scoped service, which vendor-built services then receive', () => {
    // Map stand-in: no unit-level lookup for the vendor to go through.
    const app = fixture();
    const container = app.container();
    const scope = container.createScope([[HTTP_REQUEST, { id: 5 }]]);
    const fake = { serial: 0, request: { id: 5 }, clock: container.get(app.Clock), items: ['fake'] };
    scope.provide(app.Cart, fake);
    expect(scope.get(app.Checkout).cart).to.equal(fake);
    expect(scope.get(app.OrderService).cart).to.equal(fake);
  });

  it('disposes native request-scoped instances with their unit, native singletons with the container', async () => {
    // Map stand-in: it never learns the vendor built Cart and Clock, so disposes neither.
    const app = fixture();
    const container = app.container();
    container.boot();
    for (const id of [1, 2]) {
      const scope = container.createScope([[HTTP_REQUEST, { id }]]);
      scope.get(app.OrderService);
      await scope.dispose();
      expect(app.log.at(-1)).to.equal(`Cart#${id} disposed`);
      expect(() => scope.get(app.Cart)).to.throw(DisposedError);
    }
    await container.dispose();
    expect(app.log.filter((line) => line.endsWith('disposed'))).to.deep.equal([
      'Cart#1 disposed',
      'Cart#2 disposed',
      'Connection disposed',
      'Clock#1 disposed',
    ]);
  });

  it('resets only native singletons declared Resettable, never one that merely has reset()', async () => {
    // Map stand-in: it never holds the vendor's Metrics instance, so there is nothing to reset.
    const app = fixture();
    const container = app.container();
    container.boot();
    const resetter = new ServicesResetter(container);
    const metrics = container.get(app.Metrics);
    const connection = container.get(app.Connection);
    expect(container.resettableIds()).to.deep.equal([app.Metrics]);
    for (let unit = 0; unit < 3; unit++) {
      metrics.hits++;
      await resetter.reset();
      expect(metrics.hits).to.equal(0);
    }
    expect(connection.db).to.equal(3);
  });

  it('refuses to declare Resettable a native service that is not a singleton, or one of ours', () => {
    const app = fixture();
    expect(() => app.container({ resettable: [app.Cart] })).to.throw(ContainerConfigError, 'only singletons can be declared resettable, this one is request');
    expect(() => app.container({ resettable: [app.Audit] })).to.throw(ContainerConfigError, 'declare it with @Service({ resettable: true })');
  });

  describe('overrides', () => {
    let container: Container;
    let app: ReturnType<typeof fixture>;
    beforeEach(() => {
      app = fixture();
      container = app.container();
    });
    restoreOverridesAfterEach({ restoreOverrides: () => container.restoreOverrides() });

    it('replaces a native singleton, rebuilds its native and our dependents with the fake, and puts everything back', () => {
      // Map stand-in: the native Reporter would keep the real Audit (the vendor built it), and the
      // vendor's own Clock would still be injected into Cart.
      const realReporter = container.get(app.Reporter);
      const realClock = container.get(app.Clock);
      const fakeClock = { serial: -1 };
      const handle = container.override(app.Clock, { useValue: fakeClock });
      expect(container.get(app.Clock)).to.equal(fakeClock);
      expect(container.get(app.Audit).clock).to.equal(fakeClock);
      expect(container.get(app.Reporter)).to.not.equal(realReporter);
      expect(container.get(app.Reporter).audit.clock).to.equal(fakeClock);
      expect(container.createScope([[HTTP_REQUEST, { id: 1 }]]).get(app.Cart).clock).to.equal(fakeClock);
      handle.restore();
      expect(container.get(app.Clock)).to.equal(realClock);
      expect(container.get(app.Reporter)).to.equal(realReporter);
      expect(container.createScope([[HTTP_REQUEST, { id: 2 }]]).get(app.Cart).clock).to.equal(realClock);
    });

    it('replaces a native request-scoped service per unit, for vendor-built dependents too', () => {
      // Map stand-in: the vendor would keep building its own Cart for Checkout.
      class FakeCart {
        readonly serial = 0;
        readonly request = { id: -1 };
        readonly clock = { serial: 0 };
        readonly items = ['fake'];
      }
      container.override(app.Cart, { useClass: FakeCart });
      const one = container.createScope([[HTTP_REQUEST, { id: 1 }]]);
      const two = container.createScope([[HTTP_REQUEST, { id: 2 }]]);
      expect(one.get(app.Cart)).to.be.instanceOf(FakeCart);
      expect(one.get(app.Checkout).cart).to.equal(one.get(app.Cart));
      expect(one.get(app.OrderService).cart).to.equal(one.get(app.Cart));
      expect(two.get(app.Cart)).to.not.equal(one.get(app.Cart));
      container.restoreOverrides();
      const three = container.createScope([[HTTP_REQUEST, { id: 3 }]]);
      expect(three.get(app.Cart)).to.be.instanceOf(app.Cart);
      expect(three.get(app.Checkout).cart).to.equal(three.get(app.Cart));
    });

    it('replaces a native transient', () => {
      const fake = { cart: { serial: 0, request: { id: 0 }, clock: { serial: 0 }, items: [] } };
      container.override(app.Checkout, { useValue: fake });
      expect(container.createScope([[HTTP_REQUEST, { id: 1 }]]).get(app.OrderService).checkout).to.equal(fake);
    });
  });

  describe('captive-dependency guard', () => {
    it('lists the native services whose dependencies it cannot see', () => {
      const app = fixture();
      const Peeker = app.registerCartPeekingSingleton();
      const unchecked = app.container().uncheckedServices();
      // inversify: the toDynamicValue singletons themselves. tsyringe: the peeker is a visible
      // @singleton() class; the useFactory it injects is the part nobody can see into.
      expect(unchecked).to.deep.equal(
        app.vendor === 'inversify'
          ? [
              { id: app.Connection, registration: 'inversify toDynamicValue' },
              { id: Peeker, registration: 'inversify toDynamicValue' },
            ]
          : [{ id: 'cart.peek', registration: 'tsyringe useFactory' }],
      );
    });

    it('catches at run time a native singleton that reaches a request-scoped service the check could not see', () => {
      // Map stand-in: it would run the factory in whichever unit came first and keep its Cart.
      const app = fixture();
      const Peeker = app.registerCartPeekingSingleton();
      const container = app.container();
      expect(() => container.boot()).to.throw(CaptiveDependencyError, /found while building/);
      const scope = container.createScope([[HTTP_REQUEST, { id: 1 }]]);
      expect(() => scope.get(Peeker)).to.throw(CaptiveDependencyError);
    });

    it('builds a native transient that reaches a request-scoped service inside a unit, and refuses it from the root', () => {
      const app = fixture();
      const Peeker = app.registerCartPeekingTransient();
      const container = app.container();
      const scope = container.createScope([[HTTP_REQUEST, { id: 4 }]]);
      expect(scope.get(Peeker).peeked).to.equal(scope.get(app.Cart));
      expect(() => container.get(Peeker)).to.throw(ScopeRequiredError, `"Cart"`);
    });

    it('rejects, at createContainer(), a service of ours that holds a native request-scoped one', () => {
      // Map stand-in: it knows nothing of Cart's lifetime, so nothing is rejected.
      const app = fixture();
      @Service()
      class Holder {
        constructor(@Inject(app.Checkout) readonly checkout: unknown) {}
      }
      let error: unknown;
      try {
        app.container({ services: [app.Audit, app.OrderService, Holder] });
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(CaptiveDependencyError);
      expect((error as CaptiveDependencyError).chain).to.deep.equal(['"Holder"', '"Checkout"', '"Cart"']);
    });

    it('names a dependency a native service declares but nobody registered', () => {
      const app = fixture();
      expect(() => app.container({ bindings: [] })).to.throw(MissingDependencyError, '"Cart" needs "HTTP_REQUEST" (constructor parameter #0)');
    });
  });
});

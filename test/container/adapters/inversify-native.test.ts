/**
 * inversify-specific parts of adopting a user's own inversify 8 container; the shared contract is
 * in ../native-registrations.test.ts. Each test says what a Map in place of inversify would lack.
 */
import { expect } from 'chai';
import {
  Container as InversifyContainer,
  ContainerModule,
  inject,
  injectable,
  multiInject,
  postConstruct,
  type Factory,
} from 'inversify';
import {
  CaptiveDependencyError,
  ContainerConfigError,
  createContainer,
  createToken,
  Inject,
  inversifyAdapter,
  ScopeRequiredError,
  Service,
} from '../../../src/container/index.js';

const HTTP_REQUEST = createToken<{ id: number }>('HTTP_REQUEST');
const requestBinding = { id: HTTP_REQUEST, fromScope: true as const };

describe('inversify adapter: the user\'s own container', () => {
  it('takes the container as createContainer({ adapter }) or through inversifyAdapter(container)', () => {
    const user = new InversifyContainer();
    user.bind('greeting').toConstantValue('hello');
    expect(createContainer({ adapter: user }).get('greeting')).to.equal('hello');
    expect(createContainer({ adapter: inversifyAdapter(user) }).get('greeting')).to.equal('hello');
    expect(createContainer({ adapter: user }).adapter).to.equal('inversify');
  });

  it('runs a request-scoped binding\'s @postConstruct and activation handlers once per unit of work', () => {
    // Map stand-in: it never runs inversify's lifecycle (@postConstruct, onActivation).
    const log: string[] = [];
    @injectable()
    class Basket {
      items: string[] = [];
      constructor(@inject(HTTP_REQUEST) readonly request: { id: number }) {}
      @postConstruct()
      init(): void {
        log.push(`postConstruct ${this.request.id}`);
      }
    }
    const user = new InversifyContainer();
    user
      .bind(Basket)
      .toSelf()
      .inRequestScope()
      .onActivation((_context, basket: Basket) => {
        log.push(`binding activation ${basket.request.id}`);
        return basket;
      });
    user.onActivation(Basket, (_context, basket) => {
      log.push(`service activation ${basket.request.id}`);
      return basket;
    });
    const container = createContainer({ adapter: user, bindings: [requestBinding] });
    for (const id of [1, 2]) {
      const scope = container.createScope([[HTTP_REQUEST, { id }]]);
      expect(scope.get(Basket)).to.equal(scope.get(Basket));
    }
    expect(log).to.deep.equal([
      'postConstruct 1',
      'binding activation 1',
      'service activation 1',
      'postConstruct 2',
      'binding activation 2',
      'service activation 2',
    ]);
  });

  it('scopes a request-scoped toDynamicValue to the unit, resolving the unit\'s values', () => {
    // Map stand-in: a dynamic value is a function of inversify's ResolutionContext; a Map has none.
    const user = new InversifyContainer();
    const LOCALE = createToken<string>('LOCALE');
    user
      .bind(LOCALE)
      .toDynamicValue((context) => `locale of request ${context.get<{ id: number }>(HTTP_REQUEST).id}`)
      .inRequestScope();
    const container = createContainer({ adapter: user, bindings: [requestBinding] });
    expect(container.createScope([[HTTP_REQUEST, { id: 3 }]]).get(LOCALE)).to.equal('locale of request 3');
    expect(container.createScope([[HTTP_REQUEST, { id: 4 }]]).get(LOCALE)).to.equal('locale of request 4');
    expect(() => container.get(LOCALE)).to.throw(ScopeRequiredError);
  });

  it('follows toResolvedValue and property injection in the captive-dependency check', () => {
    // Map stand-in: it has no binding metadata, so the chain is invisible and the leak ships.
    @injectable()
    class Session {}
    @injectable()
    class Greeter {
      @inject(Session) session!: Session;
    }
    const user = new InversifyContainer();
    user.load(
      new ContainerModule(({ bind }) => {
        bind(Session).toSelf().inRequestScope();
        bind(Greeter).toSelf().inTransientScope();
        bind('mailer').toResolvedValue((greeter: Greeter) => ({ greeter }), [Greeter]).inSingletonScope();
      }),
    );
    let error: unknown;
    try {
      createContainer({ adapter: user });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(CaptiveDependencyError);
    expect((error as CaptiveDependencyError).chain).to.deep.equal(['"mailer"', '"Greeter"', '"Session"']);
  });

  it('resolves multi-injected and named bindings through our container', () => {
    // Map stand-in: one value per key; inversify's multiInject and constraints are gone.
    interface Plugin {
      readonly name: string;
    }
    const PLUGIN = createToken<Plugin>('PLUGIN');
    @injectable()
    class Host {
      constructor(@multiInject(PLUGIN) readonly plugins: Plugin[]) {}
    }
    const user = new InversifyContainer();
    user.bind(PLUGIN).toConstantValue({ name: 'a' });
    user.bind(PLUGIN).toConstantValue({ name: 'b' });
    user.bind(Host).toSelf().inSingletonScope();
    const container = createContainer({ adapter: user });
    container.boot();
    expect(container.get(Host).plugins.map((plugin) => plugin.name)).to.deep.equal(['a', 'b']);
    expect(() => container.get(PLUGIN)).to.throw(/Ambiguous bindings/);
  });

  it('lets a toFactory singleton resolve request-scoped services later, in the unit whose code calls it', async () => {
    // Map stand-in: a factory is inversify's ResolutionContext closed over; nothing to call.
    @injectable()
    class Cart {
      constructor(@inject(HTTP_REQUEST) readonly request: { id: number }) {}
    }
    const CART_FACTORY = createToken<Factory<Cart, []>>('CART_FACTORY');
    const user = new InversifyContainer();
    user.bind(Cart).toSelf().inRequestScope();
    user.bind<Factory<Cart, []>>(CART_FACTORY).toFactory((context) => () => context.get(Cart));
    const container = createContainer({ adapter: user, bindings: [requestBinding] });
    container.boot();
    const makeCart = container.get(CART_FACTORY);
    const scope = container.createScope([[HTTP_REQUEST, { id: 9 }]]);
    const cart = await scope.run(async () => makeCart());
    expect(cart).to.equal(scope.get(Cart));
    expect(() => makeCart()).to.throw(ScopeRequiredError, '"Cart"');
  });

  it('adopts the classes an autobind container binds on demand', () => {
    // Map stand-in: nothing to autobind with.
    @injectable()
    class Helper {}
    @injectable()
    class Service1 {
      constructor(@inject(Helper) readonly helper: Helper) {}
    }
    const user = new InversifyContainer({ autobind: true });
    user.bind(Service1).toSelf().inSingletonScope();
    expect(createContainer({ adapter: user }).get(Service1).helper).to.be.instanceOf(Helper);
  });

  it('leaves the user\'s container untouched, and does not dispose what it built before', async () => {
    // Map stand-in: passes, but only because it never used the user's container at all.
    const log: string[] = [];
    @injectable('Singleton')
    class Pool {
      dispose(): void {
        log.push('Pool disposed');
      }
    }
    @Service()
    class Ours {
      constructor(@Inject(Pool) readonly pool: Pool) {}
    }
    const user = new InversifyContainer();
    user.bind(Pool).toSelf();
    const prebuilt = user.get(Pool);
    const container = createContainer({ adapter: user, services: [Ours] });
    expect(container.get(Ours).pool).to.equal(prebuilt);
    expect(user.isBound(Ours)).to.equal(false);
    await container.dispose();
    expect(log).to.deep.equal([]);
    expect(user.get(Pool)).to.equal(prebuilt);
  });

  it('refuses a multi-binding with a request-scoped part: a unit of work scopes one binding', () => {
    const mixed = new InversifyContainer();
    mixed.bind('handler').toConstantValue(1);
    mixed.bind('handler').toDynamicValue(() => 2).inRequestScope();
    expect(() => createContainer({ adapter: mixed })).to.throw(ContainerConfigError, 'has 2 bindings and one is request-scoped');
  });
});

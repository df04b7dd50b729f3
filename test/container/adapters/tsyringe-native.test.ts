/**
 * tsyringe-specific parts of adopting a user's own tsyringe 4 container; the shared contract is in
 * ../native-registrations.test.ts. Each test says what a Map in place of tsyringe would lack.
 * `@singleton()`, `@scoped()` and `@injectable({ token })` register in tsyringe's global container,
 * which is reset around each test.
 */
import { expect } from 'chai';
import { container as tsyringeGlobal, inject, injectable, injectAll, Lifecycle, scoped, singleton } from 'tsyringe';
import {
  CaptiveDependencyError,
  ContainerConfigError,
  createContainer,
  createToken,
  ScopeRequiredError,
  tsyringeAdapter,
} from '../../../src/container/index.js';

const HTTP_REQUEST = createToken<{ id: number }>('HTTP_REQUEST');
const requestBinding = { id: HTTP_REQUEST, fromScope: true as const };

describe('tsyringe adapter: the user\'s own container', () => {
  beforeEach(() => tsyringeGlobal.reset());
  afterEach(() => tsyringeGlobal.reset());

  it('takes the container as createContainer({ adapter }) or through tsyringeAdapter(container)', () => {
    const user = tsyringeGlobal.createChildContainer();
    user.register('greeting', { useValue: 'hello' });
    expect(createContainer({ adapter: user }).get('greeting')).to.equal('hello');
    expect(createContainer({ adapter: tsyringeAdapter(user) }).get('greeting')).to.equal('hello');
    expect(createContainer({ adapter: user }).adapter).to.equal('tsyringe');
  });

  it('adopts @injectable({ token }) registrations and useToken aliases, with their lifetimes', () => {
    // Map stand-in: decorators register with tsyringe, never with a Map; a useToken alias of a
    // ContainerScoped class is one per unit only because tsyringe caches it per child container.
    @injectable({ token: 'mailer' })
    class Mailer {}
    @scoped(Lifecycle.ContainerScoped)
    class Basket {
      constructor(@inject(HTTP_REQUEST) readonly request: { id: number }) {}
    }
    tsyringeGlobal.register('basket', { useToken: Basket }, { lifecycle: Lifecycle.ContainerScoped });
    const container = createContainer({ adapter: tsyringeGlobal, bindings: [requestBinding] });
    expect(container.get('mailer')).to.be.instanceOf(Mailer);
    expect(container.get('mailer')).to.not.equal(container.get('mailer'));
    const one = container.createScope([[HTTP_REQUEST, { id: 1 }]]);
    const two = container.createScope([[HTTP_REQUEST, { id: 2 }]]);
    expect(one.get('basket')).to.equal(one.get(Basket));
    expect(one.get<Basket>('basket').request.id).to.equal(1);
    expect(two.get<Basket>('basket').request.id).to.equal(2);
    expect(() => container.get('basket')).to.throw(ScopeRequiredError);
  });

  it('follows unregistered @injectable classes tsyringe builds on demand, in the graph check too', () => {
    // Map stand-in: tsyringe constructs classes nobody registered; a Map returns nothing.
    @scoped(Lifecycle.ContainerScoped)
    class Session {}
    @injectable()
    class Greeter {
      constructor(@inject(Session) readonly session: Session) {}
    }
    @injectable()
    class Formatter {}
    @injectable()
    class Page {
      constructor(@inject(Formatter) readonly formatter: Formatter) {}
    }
    tsyringeGlobal.register('page', { useClass: Page });
    expect(createContainer({ adapter: tsyringeGlobal }).get<{ formatter: unknown }>('page').formatter).to.be.instanceOf(Formatter);
    @singleton()
    class Mailer {
      constructor(@inject(Greeter) readonly greeter: Greeter) {}
    }
    let error: unknown;
    try {
      createContainer({ adapter: tsyringeGlobal });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(CaptiveDependencyError);
    expect((error as CaptiveDependencyError).chain).to.deep.equal([`"${Mailer.name}"`, '"Greeter"', '"Session"']);
  });

  it('keeps ContainerScoped registrations of a parent container per unit when given a child container', () => {
    // Map stand-in: no parent chain, no per-container registrations.
    let built = 0;
    @scoped(Lifecycle.ContainerScoped)
    class Basket {
      readonly serial = ++built;
    }
    const user = tsyringeGlobal.createChildContainer();
    user.register('local', { useValue: 'from the child' });
    const container = createContainer({ adapter: user });
    const one = container.createScope();
    const two = container.createScope();
    expect(one.get(Basket)).to.equal(one.get(Basket));
    expect(two.get(Basket).serial).to.not.equal(one.get(Basket).serial);
    expect(container.get('local')).to.equal('from the child');
  });

  it('injects every registration of a token with @injectAll, and treats ResolutionScoped as a transient', () => {
    // Map stand-in: one value per key, and no resolution-scoped lifetime.
    interface Plugin {
      readonly name: string;
    }
    tsyringeGlobal.register('plugin', { useValue: { name: 'a' } });
    tsyringeGlobal.register('plugin', { useValue: { name: 'b' } });
    @injectable()
    class Host {
      constructor(@injectAll('plugin') readonly plugins: Plugin[]) {}
    }
    tsyringeGlobal.register(Host, { useClass: Host }, { lifecycle: Lifecycle.ResolutionScoped });
    const container = createContainer({ adapter: tsyringeGlobal });
    container.boot();
    expect(container.get(Host).plugins.map((plugin) => plugin.name)).to.deep.equal(['a', 'b']);
    expect(container.get('plugin')).to.deep.equal({ name: 'b' });
    expect(container.get(Host)).to.not.equal(container.get(Host));
  });

  it('hands a useFactory the unit\'s own container inside a scope, and refuses request values from the root', () => {
    // Map stand-in: a factory gets tsyringe's container; a Map has none to give.
    tsyringeGlobal.register('request.label', { useFactory: (c) => `request ${c.resolve<{ id: number }>(HTTP_REQUEST).id}` });
    const container = createContainer({ adapter: tsyringeGlobal, bindings: [requestBinding] });
    expect(container.createScope([[HTTP_REQUEST, { id: 6 }]]).get('request.label')).to.equal('request 6');
    expect(() => container.get('request.label')).to.throw(ScopeRequiredError, '"HTTP_REQUEST"');
    expect(container.uncheckedServices()).to.deep.equal([{ id: 'request.label', registration: 'tsyringe useFactory' }]);
  });

  it('leaves the user\'s container usable after disposing ours', async () => {
    @singleton()
    class Pool {}
    const container = createContainer({ adapter: tsyringeGlobal });
    const pool = container.get(Pool);
    await container.dispose();
    expect(tsyringeGlobal.resolve(Pool)).to.equal(pool);
  });

  it('says what to write when a parameter has no @inject, and refuses a multi-registration with a ContainerScoped part', () => {
    @injectable()
    class Untyped {
      constructor(readonly dependency: unknown) {}
    }
    tsyringeGlobal.register(Untyped, { useClass: Untyped });
    expect(() => createContainer({ adapter: tsyringeGlobal })).to.throw(ContainerConfigError, 'constructor parameter #0 has no @inject(token)');
    tsyringeGlobal.reset();
    tsyringeGlobal.register('handler', { useValue: 1 });
    tsyringeGlobal.register('handler', { useClass: class Handler {} }, { lifecycle: Lifecycle.ContainerScoped });
    expect(() => createContainer({ adapter: tsyringeGlobal })).to.throw(ContainerConfigError, 'has 2 registrations and one is ContainerScoped');
  });
});

import { expect } from 'chai';
import {
  createContainer,
  createToken,
  Inject,
  ScopeProvideError,
  ScopeRequiredError,
  ScopeValueMissingError,
  Service,
} from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';

const REQUEST = createToken<{ url: string }>('REQUEST');

function fixtures() {
  const built = { Config: 0, CurrentUser: 0, Repo: 0, IdGen: 0, Greeter: 0 };

  @Service()
  class Config {
    constructor() {
      built.Config++;
    }
  }

  @Service({ scope: 'transient' })
  class IdGen {
    constructor() {
      built.IdGen++;
    }
  }

  @Service({ scope: 'request' })
  class CurrentUser {
    constructor(@Inject(REQUEST) readonly request: { url: string }, @Inject(Config) readonly config: Config) {
      built.CurrentUser++;
    }
  }

  @Service({ scope: 'request' })
  class Repo {
    constructor(@Inject(CurrentUser) readonly user: CurrentUser, @Inject(IdGen) readonly a: IdGen, @Inject(IdGen) readonly b: IdGen) {
      built.Repo++;
    }
  }

  /** A transient reaching a request-scoped service: only buildable inside a scope. */
  @Service({ scope: 'transient' })
  class Greeter {
    constructor(@Inject(CurrentUser) readonly user: CurrentUser) {
      built.Greeter++;
    }
  }

  const container = (adapter: 'inversify' | 'tsyringe') =>
    createContainer({
      adapter,
      services: [Config, IdGen, CurrentUser, Repo, Greeter],
      bindings: [{ id: REQUEST, fromScope: true }],
    });
  return { built, container, Config, IdGen, CurrentUser, Repo, Greeter };
}

describeContract('lifetimes', (adapter) => {
  it('shares one singleton between the root and every scope', () => {
    const { container, Config, CurrentUser, built } = fixtures();
    const c = container(adapter);
    const a = c.createScope([[REQUEST, { url: '/a' }]]);
    const b = c.createScope([[REQUEST, { url: '/b' }]]);
    expect(c.get(Config)).to.equal(c.get(Config));
    expect(a.get(Config)).to.equal(c.get(Config));
    expect(b.get(Config)).to.equal(c.get(Config));
    expect(a.get(CurrentUser).config).to.equal(c.get(Config));
    expect(built.Config).to.equal(1);
  });

  it('shares a request-scoped service within a scope and builds another per scope', () => {
    const { container, CurrentUser, Repo, built } = fixtures();
    const c = container(adapter);
    const a = c.createScope([[REQUEST, { url: '/a' }]]);
    const b = c.createScope([[REQUEST, { url: '/b' }]]);
    const userA = a.get(CurrentUser);
    expect(a.get(CurrentUser)).to.equal(userA);
    expect(a.get(Repo).user).to.equal(userA);
    const userB = b.get(CurrentUser);
    expect(userB).to.not.equal(userA);
    expect(userA.request.url).to.equal('/a');
    expect(userB.request.url).to.equal('/b');
    expect(built.CurrentUser).to.equal(2);
  });

  it('builds a transient on every resolution and for every injection', () => {
    const { container, IdGen, Repo } = fixtures();
    const c = container(adapter);
    const scope = c.createScope([[REQUEST, { url: '/' }]]);
    expect(c.get(IdGen)).to.not.equal(c.get(IdGen));
    expect(scope.get(IdGen)).to.not.equal(scope.get(IdGen));
    const repo = scope.get(Repo);
    expect(repo.a).to.be.instanceOf(IdGen);
    expect(repo.a).to.not.equal(repo.b);
  });

  it('builds a transient that reaches a request-scoped service inside the scope, with that scope\'s instance', () => {
    const { container, Greeter, CurrentUser } = fixtures();
    const c = container(adapter);
    const scope = c.createScope([[REQUEST, { url: '/g' }]]);
    const first = scope.get(Greeter);
    expect(first).to.not.equal(scope.get(Greeter));
    expect(first.user).to.equal(scope.get(CurrentUser));
    expect(() => c.get(Greeter)).to.throw(
      ScopeRequiredError,
      '"Greeter" depends on a request-scoped service ("Greeter" -> "CurrentUser")',
    );
  });

  it('refuses request-scoped services from the root, naming them', () => {
    const { container, CurrentUser } = fixtures();
    const c = container(adapter);
    expect(() => c.get(CurrentUser)).to.throw(ScopeRequiredError, '"CurrentUser" is request-scoped');
    expect(() => c.get(REQUEST)).to.throw(ScopeRequiredError, '"REQUEST" is request-scoped');
  });

  it('builds nothing for a scope that resolves nothing', async () => {
    const { container, built } = fixtures();
    const c = container(adapter);
    const scope = c.createScope();
    await scope.run(async () => undefined);
    await scope.dispose();
    expect(built).to.deep.equal({ Config: 0, CurrentUser: 0, Repo: 0, IdGen: 0, Greeter: 0 });
  });

  it('creates every singleton from the root at boot, once, and nothing request-scoped or transient', () => {
    const { container, built } = fixtures();
    const c = container(adapter);
    c.boot();
    c.boot();
    expect(built).to.deep.equal({ Config: 1, CurrentUser: 0, Repo: 0, IdGen: 0, Greeter: 0 });
  });

  describe('scope values (fromScope)', () => {
    it('are injectable and resolvable, given at creation or with provide()', () => {
      const { container, CurrentUser } = fixtures();
      const c = container(adapter);
      const request = { url: '/p' };
      const scope = c.createScope().provide(REQUEST, request);
      expect(scope.get(REQUEST)).to.equal(request);
      expect(scope.get(CurrentUser).request).to.equal(request);
    });

    it('fail clearly when the scope did not get one', () => {
      const { container, CurrentUser } = fixtures();
      const scope = container(adapter).createScope();
      expect(() => scope.get(CurrentUser)).to.throw(ScopeValueMissingError, '"REQUEST" is supplied per scope');
    });

    it('refuse provide() once resolved, for singletons and for undeclared ids', () => {
      const { container, Config, CurrentUser } = fixtures();
      const c = container(adapter);
      const scope = c.createScope([[REQUEST, { url: '/' }]]);
      scope.get(CurrentUser);
      expect(() => scope.provide(REQUEST, { url: '/other' })).to.throw(ScopeProvideError, 'already resolved');
      expect(() => scope.provide(CurrentUser, {} as never)).to.throw(ScopeProvideError, 'already resolved');
      expect(() => scope.provide(Config, new Config())).to.throw(ScopeProvideError, 'it is a singleton');
      expect(() => scope.provide('nope', 1)).to.throw(ScopeProvideError, 'fromScope: true');
    });

    it('may replace a request-scoped service in one scope only', () => {
      const { container, CurrentUser } = fixtures();
      const c = container(adapter);
      const fake = { fake: true } as unknown as InstanceType<typeof CurrentUser>;
      const a = c.createScope([[REQUEST, { url: '/a' }]]).provide(CurrentUser, fake);
      const b = c.createScope([[REQUEST, { url: '/b' }]]);
      expect(a.get(CurrentUser)).to.equal(fake);
      expect(b.get(CurrentUser)).to.be.instanceOf(CurrentUser);
    });
  });
});

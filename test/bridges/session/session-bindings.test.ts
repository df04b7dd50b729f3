import { expect } from 'chai';
import {
  CaptiveDependencyError,
  createContainer,
  createToken,
  currentScope,
  Inject,
  MissingDependencyError,
  ScopeRequiredError,
  Service,
} from '../../../src/container/index.js';
import { HTTP_REQUEST, httpRequestBinding } from '../../../src/bridges/http/index.js';
import {
  commitSession,
  MemorySessionStore,
  Session,
  SESSION,
  SESSION_STORAGE_FACTORY,
  sessionBindings,
  SessionStorageFactory,
} from '../../../src/bridges/session/index.js';
import { describeContract } from '../../container/support/describe-contract.js';
import { cookiePair, requestWith, setCookies, SpyStore } from './support.js';

describeContract('sessionBindings', (adapter) => {
  it('binds the factory by token and by class, as one singleton', () => {
    const factory = new SessionStorageFactory({ store: new MemorySessionStore() });
    const container = createContainer({ adapter, bindings: [httpRequestBinding, ...sessionBindings({ factory })] });
    container.boot();
    expect(container.get(SESSION_STORAGE_FACTORY)).to.equal(factory);
    expect(container.get(SessionStorageFactory)).to.equal(factory);
  });

  it('builds a factory from options', () => {
    const store = new MemorySessionStore();
    const container = createContainer({ adapter, bindings: [httpRequestBinding, ...sessionBindings({ factory: { store, cookie: { name: 'app_sid' } } })] });
    expect(container.get(SESSION_STORAGE_FACTORY).store).to.equal(store);
    expect(container.get(SESSION_STORAGE_FACTORY).cookieName).to.equal('app_sid');
  });

  it("resolves each scope's Session from that scope's request, once per scope", async () => {
    const store = new SpyStore();
    const container = createContainer({ adapter, bindings: [httpRequestBinding, ...sessionBindings({ factory: { store } })] });
    const login = container.createScope([[HTTP_REQUEST, requestWith()]]);
    const cookie = await login.run(async () => {
      const session = currentScope().get(Session);
      expect(currentScope().get(SESSION)).to.equal(session);
      await session.set('user', 'ann');
      return cookiePair(setCookies(await commitSession(currentScope(), new Response()))[0]!);
    });
    await login.dispose();

    const ann = container.createScope([[HTTP_REQUEST, requestWith(cookie)]]);
    const stranger = container.createScope([[HTTP_REQUEST, requestWith()]]);
    expect(ann.get(Session)).to.not.equal(stranger.get(Session));
    expect(await ann.get(Session).get('user')).to.equal('ann');
    expect(await stranger.get(Session).get('user')).to.equal(undefined);
    await Promise.all([ann.dispose(), stranger.dispose()]);
  });

  it('lets request-scoped services inject the Session', async () => {
    @Service({ scope: 'request' })
    class Cart {
      constructor(@Inject(Session) private readonly session: Session) {}
      async add(item: string) {
        const items = ((await this.session.get<string[]>('cart')) ?? []).concat(item);
        await this.session.set('cart', items);
        return items;
      }
    }
    const container = createContainer({ adapter, services: [Cart], bindings: [httpRequestBinding, ...sessionBindings({ factory: { store: new MemorySessionStore() } })] });
    const scope = container.createScope([[HTTP_REQUEST, requestWith()]]);
    expect(await scope.get(Cart).add('book')).to.deep.equal(['book']);
    expect(await scope.get(Session).get('cart')).to.deep.equal(['book']);
  });

  it('stops a singleton from holding a Session (captive dependency), naming the chain', () => {
    @Service()
    class UserGreeter {
      constructor(@Inject(Session) readonly session: Session) {}
    }
    let caught: unknown;
    try {
      createContainer({ adapter, services: [UserGreeter], bindings: [httpRequestBinding, ...sessionBindings({ factory: { store: new MemorySessionStore() } })] });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(CaptiveDependencyError);
    const chain = (caught as CaptiveDependencyError).chain;
    expect(chain[0]).to.equal('"UserGreeter"');
    expect(chain.join(' -> ')).to.contain('session');
    expect((caught as Error).message).to.contain('singleton "UserGreeter"');
  });

  it('catches the capture through a transient in between, and through the SESSION token', () => {
    @Service({ scope: 'transient' })
    class Greeting {
      constructor(@Inject(SESSION) readonly session: Session) {}
    }
    @Service()
    class Mailer {
      constructor(@Inject(Greeting) readonly greeting: Greeting) {}
    }
    expect(() =>
      createContainer({ adapter, services: [Greeting, Mailer], bindings: [httpRequestBinding, ...sessionBindings({ factory: { store: new MemorySessionStore() } })] }),
    ).to.throw(CaptiveDependencyError, /"Mailer" -> .*"Greeting"/);
  });

  it('refuses to hand out a Session from the root container', () => {
    const container = createContainer({ adapter, bindings: [httpRequestBinding, ...sessionBindings({ factory: { store: new MemorySessionStore() } })] });
    expect(() => container.get(Session)).to.throw(ScopeRequiredError);
  });

  it('needs the request declared as a scope value', () => {
    expect(() => createContainer({ adapter, bindings: sessionBindings({ factory: { store: new MemorySessionStore() } }) })).to.throw(MissingDependencyError, /http\.request/);
  });

  it('takes the request from another scope-value id when told', async () => {
    const REQUEST = createToken<Request>('my.request');
    const container = createContainer({ adapter, bindings: [{ id: REQUEST, fromScope: true }, ...sessionBindings({ factory: { store: new MemorySessionStore() }, request: REQUEST })] });
    const scope = container.createScope([[REQUEST, requestWith()]]);
    expect((await scope.get(Session).load()).isNew).to.equal(true);
  });
});

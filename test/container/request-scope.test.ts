import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import {
  createContainer,
  createToken,
  currentScope,
  DisposalError,
  DisposedError,
  findCurrentScope,
  Inject,
  NoActiveScopeError,
  Service,
  type RequestScope,
} from '../../src/container/index.js';
import { describeContract, tick } from './support/describe-contract.js';

const REQUEST = createToken<{ id: number }>('REQUEST');

function fixtures() {
  @Service({ scope: 'request' })
  class CurrentUser {
    constructor(@Inject(REQUEST) readonly request: { id: number }) {}
  }

  @Service()
  class Shared {}

  const container = (adapter: 'inversify' | 'tsyringe') =>
    createContainer({ adapter, services: [CurrentUser, Shared], bindings: [{ id: REQUEST, fromScope: true }] });
  return { container, CurrentUser, Shared };
}

/** Deep application code: several awaits, a timer and an event away from the handler. */
async function deepLookup<T>(read: (scope: RequestScope) => T): Promise<T> {
  await tick(Math.random() * 3);
  const fromTimer = await new Promise<T>((resolve) => setTimeout(() => resolve(read(currentScope())), 1));
  const emitter = new EventEmitter();
  const fromEvent = new Promise<T>((resolve) => emitter.once('go', () => resolve(read(currentScope()))));
  setImmediate(() => emitter.emit('go'));
  expect(await fromEvent).to.equal(fromTimer);
  return Promise.resolve().then(() => read(currentScope()));
}

describeContract('request scope: run() and currentScope()', (adapter) => {
  it('exposes the scope to deep async code inside run()', async () => {
    const { container, CurrentUser } = fixtures();
    const scope = container(adapter).createScope([[REQUEST, { id: 7 }]]);
    const user = await scope.run(() => deepLookup((s) => s.get(CurrentUser)));
    expect(user).to.equal(scope.get(CurrentUser));
    expect(user.request.id).to.equal(7);
  });

  it('isolates concurrent scopes: each unit sees only its own values and instances', async () => {
    const { container, CurrentUser, Shared } = fixtures();
    const c = container(adapter);
    const units = Array.from({ length: 25 }, (_, id) => c.createScope([[REQUEST, { id }]]));
    const seen = await Promise.all(
      units.map((scope) =>
        scope.run(async () => {
          const user = await deepLookup((s) => s.get(CurrentUser));
          await tick(Math.random() * 3);
          return { id: currentScope().get(REQUEST).id, user, shared: currentScope().get(Shared) };
        }),
      ),
    );
    seen.forEach((result, i) => {
      expect(result.id).to.equal(i);
      expect(result.user.request.id).to.equal(i);
      expect(result.user).to.equal(units[i]!.get(CurrentUser));
    });
    expect(new Set(seen.map((r) => r.user)).size).to.equal(25);
    expect(new Set(seen.map((r) => r.shared)).size).to.equal(1);
  });

  it('throws NoActiveScopeError outside run(), where findCurrentScope() is undefined', async () => {
    const { container } = fixtures();
    const scope = container(adapter).createScope();
    expect(() => currentScope()).to.throw(NoActiveScopeError, 'only works inside scope.run()');
    expect(findCurrentScope()).to.equal(undefined);
    await scope.run(async () => {
      expect(findCurrentScope()).to.equal(scope);
    });
    expect(findCurrentScope()).to.equal(undefined);
  });

  it('keeps its AsyncLocalStorage on a globalThis symbol, so a second copy of the package sees the scope', async () => {
    const { container } = fixtures();
    const scope = container(adapter).createScope();
    const storage = (globalThis as Record<symbol, unknown>)[Symbol.for('roadrunner-runtime.container.scopeStorage')];
    expect(storage).to.be.instanceOf(AsyncLocalStorage);
    const seenByOtherCopy = await scope.run(async () => {
      await tick();
      return (storage as AsyncLocalStorage<RequestScope>).getStore();
    });
    expect(seenByOtherCopy).to.equal(scope);
  });

  it('nests: an inner run() shadows the outer scope and restores it after', async () => {
    const { container } = fixtures();
    const c = container(adapter);
    const outer = c.createScope();
    const inner = c.createScope();
    await outer.run(async () => {
      await inner.run(async () => {
        await tick();
        expect(currentScope()).to.equal(inner);
      });
      expect(currentScope()).to.equal(outer);
    });
  });
});

describeContract('request scope: asyncContext: false', (adapter) => {
  it('runs the function without entering AsyncLocalStorage: currentScope() names the option, services resolve from the scope', async () => {
    const { CurrentUser } = fixtures();
    const container = createContainer({ adapter, services: [CurrentUser], bindings: [{ id: REQUEST, fromScope: true }], asyncContext: false });
    expect(container.asyncContext).to.equal(false);
    const scope = container.createScope([[REQUEST, { id: 7 }]]);
    const seen = await scope.run(async () => {
      const synchronously = findCurrentScope();
      await tick();
      return { synchronously, afterAwait: findCurrentScope(), thrown: catchError(() => currentScope()), user: scope.get(CurrentUser) };
    });
    expect(seen.synchronously).to.equal(undefined);
    expect(seen.afterAwait).to.equal(undefined);
    expect(seen.thrown).to.be.instanceOf(NoActiveScopeError);
    expect((seen.thrown as Error).message).to.contain('asyncContext: false');
    expect(seen.user.request.id).to.equal(7);
    await scope.dispose();
    expect(() => scope.run(() => 1)).to.throw(DisposedError);
  });

  it('is on by default', async () => {
    const { container } = fixtures();
    const c = container(adapter);
    expect(c.asyncContext).to.equal(true);
    const scope = c.createScope();
    expect(await scope.run(async () => (await tick(), findCurrentScope()))).to.equal(scope);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describeContract('request scope: dispose()', (adapter) => {
  function disposables(log: string[]) {
    @Service({ scope: 'request' })
    class AsyncResource {
      async [Symbol.asyncDispose](): Promise<void> {
        await tick(2);
        log.push('async');
      }
    }

    @Service({ scope: 'request' })
    class SyncResource {
      [Symbol.dispose](): void {
        log.push('sync');
      }
      dispose(): void {
        log.push('sync via dispose() too: must not happen');
      }
    }

    @Service({ scope: 'request' })
    class PlainResource {
      constructor(@Inject(AsyncResource) readonly a: AsyncResource, @Inject(SyncResource) readonly s: SyncResource) {}
      dispose(): Promise<void> {
        log.push('plain');
        return Promise.resolve();
      }
    }

    @Service({ scope: 'request' })
    class Failing {
      constructor(@Inject(PlainResource) readonly p: PlainResource) {}
      dispose(): void {
        log.push('failing');
        throw new Error('socket already closed');
      }
    }

    @Service({ scope: 'request' })
    class Rejecting {
      constructor(@Inject(Failing) readonly f: Failing) {}
      async [Symbol.asyncDispose](): Promise<void> {
        log.push('rejecting');
        throw new Error('flush failed');
      }
    }

    @Service()
    class SingletonResource {
      dispose(): void {
        log.push('singleton');
      }
    }

    @Service({ scope: 'request' })
    class UsesSingleton {
      constructor(@Inject(SingletonResource) readonly s: SingletonResource) {}
    }

    const RESOURCE = createToken<{ dispose(): void }>('RESOURCE');
    const container = createContainer({
      adapter,
      services: [AsyncResource, SyncResource, PlainResource, Failing, Rejecting, SingletonResource, UsesSingleton],
      bindings: [{ id: RESOURCE, fromScope: true }],
    });
    return { container, AsyncResource, SyncResource, PlainResource, Failing, Rejecting, UsesSingleton, RESOURCE };
  }

  it('runs each instance\'s one disposer, newest first, awaiting async ones', async () => {
    const log: string[] = [];
    const { container, PlainResource } = disposables(log);
    const scope = container.createScope();
    scope.get(PlainResource);
    await scope.dispose();
    // Built in dependency order (async, sync, plain), so disposed plain, sync, async.
    expect(log).to.deep.equal(['plain', 'sync', 'async']);
  });

  it('runs every disposer even when some throw or reject, then reports them all together', async () => {
    const log: string[] = [];
    const { container, Rejecting } = disposables(log);
    const scope = container.createScope();
    scope.get(Rejecting);
    const error = await scope.dispose().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(log).to.deep.equal(['rejecting', 'failing', 'plain', 'sync', 'async']);
    expect(error).to.be.instanceOf(DisposalError);
    const failures = (error as DisposalError).failures;
    expect(failures.map((f) => f.service)).to.deep.equal(['Rejecting', 'Failing']);
    expect(failures.map((f) => (f.error as Error).message)).to.deep.equal(['flush failed', 'socket already closed']);
    expect((error as Error).message).to.equal(
      '2 service(s) failed to dispose with the request scope: "Rejecting": flush failed; "Failing": socket already closed',
    );
  });

  it('leaves singletons and values it was given alone', async () => {
    const log: string[] = [];
    const { container, UsesSingleton, RESOURCE } = disposables(log);
    const given = { dispose: () => log.push('given') };
    const scope = container.createScope([[RESOURCE, given]]);
    scope.get(UsesSingleton);
    scope.get(RESOURCE);
    await scope.dispose();
    expect(log).to.deep.equal([]);
    await container.dispose();
    expect(log).to.deep.equal(['singleton']);
  });

  it('is idempotent and closes the scope', async () => {
    const log: string[] = [];
    const { container, SyncResource, RESOURCE } = disposables(log);
    const scope = container.createScope();
    scope.get(SyncResource);
    expect(scope.disposed).to.equal(false);
    await Promise.all([scope.dispose(), scope.dispose(), scope[Symbol.asyncDispose]()]);
    expect(log).to.deep.equal(['sync']);
    expect(scope.disposed).to.equal(true);
    expect(() => scope.get(SyncResource)).to.throw(DisposedError, 'this request scope was disposed');
    expect(() => scope.run(() => 1)).to.throw(DisposedError);
    expect(() => scope.provide(RESOURCE, { dispose() {} })).to.throw(DisposedError);
  });

  it('is closed before its disposers run: a disposer cannot build anything new', async () => {
    @Service({ scope: 'request' })
    class Other {}
    const holder: { scope?: RequestScope; seen?: unknown } = {};
    @Service({ scope: 'request' })
    class Greedy {
      dispose(): void {
        try {
          holder.scope!.get(Other);
        } catch (error) {
          holder.seen = error;
        }
      }
    }
    holder.scope = createContainer({ adapter, services: [Other, Greedy] }).createScope();
    holder.scope.get(Greedy);
    await holder.scope.dispose();
    expect(holder.seen).to.be.instanceOf(DisposedError);
  });
});

describeContract('request scope: peek()', (adapter) => {
  it('returns what the scope already built or was given, and builds nothing itself', () => {
    const { container, CurrentUser, Shared } = fixtures();
    const c = container(adapter);
    const scope = c.createScope();
    expect(scope.peek(CurrentUser), 'nothing resolved yet').to.equal(undefined);
    expect(scope.peek(REQUEST), 'not provided yet').to.equal(undefined);
    scope.provide(REQUEST, { id: 3 });
    expect(scope.peek(REQUEST)).to.deep.equal({ id: 3 });
    expect(scope.peek(CurrentUser), 'peeking did not build it').to.equal(undefined);
    const user = scope.get(CurrentUser);
    expect(scope.peek(CurrentUser)).to.equal(user);
    // Singletons live in the root, never in a scope; unknown ids are simply absent.
    c.get(Shared);
    expect(scope.peek(Shared)).to.equal(undefined);
    expect(scope.peek(createToken('nothing'))).to.equal(undefined);
    // Another scope holds nothing of this one's.
    expect(c.createScope().peek(CurrentUser)).to.equal(undefined);
  });

  it('sees an instance through an alias', () => {
    const TOKEN = createToken<{ n: number }>('counter');
    const ALIAS = createToken<{ n: number }>('counter.alias');
    const c = createContainer({
      adapter,
      bindings: [
        { id: TOKEN, useFactory: () => ({ n: 1 }), scope: 'request' },
        { id: ALIAS, useExisting: TOKEN },
      ],
    });
    const scope = c.createScope();
    expect(scope.peek(ALIAS)).to.equal(undefined);
    const value = scope.get(TOKEN);
    expect(scope.peek(ALIAS)).to.equal(value);
  });
});

import { expect } from 'chai';
import {
  createContainer,
  createToken,
  Inject,
  ContainerConfigError,
  Service,
  ServicesResetError,
  ServicesResetter,
  type Resettable,
} from '../../src/container/index.js';
import { describeContract, tick } from './support/describe-contract.js';

function fixtures(log: string[]) {
  const built: string[] = [];

  @Service({ resettable: true })
  class Buffered implements Resettable {
    items: string[] = [];
    constructor() {
      built.push('Buffered');
    }
    reset(): void {
      log.push('Buffered');
      this.items = [];
    }
  }

  @Service({ resettable: true })
  class NeverUsed implements Resettable {
    constructor() {
      built.push('NeverUsed');
    }
    reset(): void {
      log.push('NeverUsed');
    }
  }

  @Service({ id: 'app.broken', resettable: true })
  class Broken implements Resettable {
    reset(): void {
      log.push('Broken');
      throw new Error('cannot clear cache');
    }
  }

  @Service({ resettable: true })
  class SlowAsync implements Resettable {
    async reset(): Promise<void> {
      await tick(2);
      log.push('SlowAsync');
    }
  }

  @Service({ resettable: true })
  class Rejecting implements Resettable {
    async reset(): Promise<void> {
      log.push('Rejecting');
      throw new Error('pool drain failed');
    }
  }

  @Service({ scope: 'request' })
  class PerRequest {
    reset(): void {
      log.push('PerRequest');
    }
  }

  @Service()
  class Stateless {}

  /** Has a reset() that must never run: think of a Redis client (RESET drops SELECT) or a counter. */
  @Service()
  class UndeclaredClient {
    reset(): void {
      log.push('UndeclaredClient');
    }
  }

  const VALUE = createToken<Resettable>('VALUE');
  const value: Resettable = { reset: () => void log.push('value') };
  const CLIENT_VALUE = createToken<Resettable>('CLIENT_VALUE');
  const clientValue: Resettable = { reset: () => void log.push('client value') };
  const FACTORY = createToken<Resettable>('FACTORY');
  const container = (adapter: 'inversify' | 'tsyringe') =>
    createContainer({
      adapter,
      services: [Buffered, NeverUsed, Broken, SlowAsync, Rejecting, PerRequest, Stateless, UndeclaredClient],
      bindings: [
        { id: VALUE, useValue: value, resettable: true },
        { id: CLIENT_VALUE, useValue: clientValue },
        { id: FACTORY, useFactory: () => ({ reset: () => void log.push('factory') }), resettable: true },
      ],
    });
  return { container, built, Buffered, NeverUsed, Broken, SlowAsync, Rejecting, PerRequest, Stateless, UndeclaredClient, VALUE, CLIENT_VALUE, FACTORY };
}

describeContract('ServicesResetter', (adapter) => {
  it('resets only singletons that were created, and never creates one to reset it', async () => {
    const log: string[] = [];
    const { container, built, Buffered, Stateless } = fixtures(log);
    const c = container(adapter);
    c.get(Buffered).items.push('leftover');
    c.get(Stateless);
    await new ServicesResetter(c).reset();
    expect(log).to.deep.equal(['Buffered']);
    expect(built).to.deep.equal(['Buffered']);
    expect(c.get(Buffered).items).to.deep.equal([]);
    expect([...c.resettable.keys()]).to.deep.equal([Buffered]);
  });

  it('resets values once they have been resolved', async () => {
    const log: string[] = [];
    const { container, VALUE } = fixtures(log);
    const c = container(adapter);
    const resetter = new ServicesResetter(c);
    await resetter.reset();
    expect(log).to.deep.equal([]);
    c.get(VALUE);
    await resetter.reset();
    expect(log).to.deep.equal(['value']);
  });

  it('resets every created singleton after boot, in creation order, awaiting async resets', async () => {
    const log: string[] = [];
    const { container, built } = fixtures(log);
    const c = container(adapter);
    c.boot();
    const error = await new ServicesResetter(c).reset().catch((e: unknown) => e);
    expect(built).to.deep.equal(['Buffered', 'NeverUsed']);
    expect(log).to.deep.equal(['Buffered', 'NeverUsed', 'Broken', 'SlowAsync', 'Rejecting', 'value', 'factory']);
    expect(error).to.be.instanceOf(ServicesResetError);
  });

  it('keeps going when resets throw or reject, then lists every failure with its service', async () => {
    const log: string[] = [];
    const { container, Broken, Rejecting, SlowAsync, Buffered } = fixtures(log);
    const c = container(adapter);
    c.get(Broken);
    c.get(Rejecting);
    c.get(SlowAsync);
    c.get(Buffered);
    const error = await new ServicesResetter(c).reset().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(log).to.deep.equal(['Broken', 'Rejecting', 'SlowAsync', 'Buffered']);
    expect(error).to.be.instanceOf(ServicesResetError);
    const reset = error as ServicesResetError;
    expect(reset.code).to.equal('ERR_SERVICES_RESET');
    expect(reset.failures.map((f) => [f.id, f.service, (f.error as Error).message])).to.deep.equal([
      ['app.broken', 'app.broken', 'cannot clear cache'],
      [Rejecting, 'Rejecting', 'pool drain failed'],
    ]);
    expect(reset.message).to.equal('2 service(s) failed to reset: "app.broken": cannot clear cache; "Rejecting": pool drain failed');
  });

  it('resetNow() is synchronous while every reset is, and hands the rest to a promise from the first async one', async () => {
    const log: string[] = [];
    const { container, Buffered, Broken, SlowAsync } = fixtures(log);
    const c = container(adapter);
    const resetter = new ServicesResetter(c);
    c.get(Buffered);
    expect(resetter.resetNow()).to.equal(undefined);
    expect(log).to.deep.equal(['Buffered']);

    c.get(Broken);
    expect(() => resetter.resetNow()).to.throw(ServicesResetError, /cannot clear cache/);
    expect(log).to.deep.equal(['Buffered', 'Buffered', 'Broken']);
    const rejected = await resetter.reset().then(() => undefined, (e: unknown) => e);
    expect(rejected).to.be.instanceOf(ServicesResetError);

    c.get(SlowAsync);
    log.length = 0;
    const pending = resetter.resetNow();
    expect(pending).to.be.instanceOf(Promise);
    expect(log).to.deep.equal(['Buffered', 'Broken']);
    const error = await (pending as Promise<void>).then(() => undefined, (e: unknown) => e);
    expect(log).to.deep.equal(['Buffered', 'Broken', 'SlowAsync']);
    expect((error as ServicesResetError).failures.map((f) => f.service)).to.deep.equal(['app.broken']);
  });

  it('leaves request-scoped instances to their scope', async () => {
    const log: string[] = [];
    const { container, PerRequest } = fixtures(log);
    const c = container(adapter);
    const scope = c.createScope();
    scope.get(PerRequest);
    await new ServicesResetter(c).reset();
    expect(log).to.deep.equal([]);
  });
});

describeContract('declared Resettable', (adapter) => {
  it('never resets a service that has a reset() method but was not declared, value or class', async () => {
    const log: string[] = [];
    const { container, UndeclaredClient, CLIENT_VALUE, Buffered } = fixtures(log);
    const c = container(adapter);
    c.get(UndeclaredClient);
    c.get(CLIENT_VALUE);
    c.get(Buffered);
    const resetter = new ServicesResetter(c);
    for (let i = 0; i < 3; i++) await resetter.reset();
    expect(log).to.deep.equal(['Buffered', 'Buffered', 'Buffered']);
  });

  it('lists every declared id, created or not, and only those', () => {
    const { container, Buffered, NeverUsed, SlowAsync, Rejecting, VALUE, FACTORY } = fixtures([]);
    expect(container(adapter).resettableIds()).to.deep.equal([Buffered, NeverUsed, 'app.broken', SlowAsync, Rejecting, VALUE, FACTORY]);
  });

  it('lets a class binding declare (or withdraw) what the class did not (or did)', async () => {
    const log: string[] = [];
    const { UndeclaredClient, Buffered } = fixtures(log);
    const c = createContainer({
      adapter,
      bindings: [
        { id: 'declared', useClass: UndeclaredClient, resettable: true },
        { id: 'withdrawn', useClass: Buffered, resettable: false },
      ],
    });
    c.boot();
    await new ServicesResetter(c).reset();
    expect(log).to.deep.equal(['UndeclaredClient']);
    expect(c.resettableIds()).to.deep.equal(['declared']);
  });
});

describe('declaring Resettable', () => {
  it('refuses a class without reset(), a non-singleton, a value or factory result without reset()', () => {
    class NoReset {}
    expect(() => Service({ resettable: true })(NoReset)).to.throw(ContainerConfigError, '@Service on "NoReset": declared resettable, but the class has no reset() method');
    class PerRequest {
      reset() {}
    }
    expect(() => Service({ scope: 'request', resettable: true })(PerRequest)).to.throw(
      ContainerConfigError,
      'only singletons can be declared resettable; a request instance is never reused',
    );
    expect(() => createContainer({ bindings: [{ id: 'v', useValue: {}, resettable: true }] })).to.throw(
      ContainerConfigError,
      'binding #0 ("v"): declared resettable, but the value has no reset() method',
    );
    const factory = createContainer({ bindings: [{ id: 'f', useFactory: () => ({}), resettable: true }] });
    expect(() => factory.get('f')).to.throw(ContainerConfigError, '"f" is declared resettable, but the instance its factory returned has no reset() method');
    expect(() => createContainer({ bindings: [{ id: 't', useFactory: () => ({ reset() {} }), scope: 'transient', resettable: true }] })).to.throw(
      ContainerConfigError,
      'only singletons can be declared resettable, this factory is transient',
    );
  });
});

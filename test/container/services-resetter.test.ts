import { expect } from 'chai';
import {
  createContainer,
  createToken,
  Inject,
  isResettable,
  Service,
  ServicesResetError,
  ServicesResetter,
  type Resettable,
} from '../../src/container/index.js';
import { describeContract, tick } from './support/describe-contract.js';

function fixtures(log: string[]) {
  const built: string[] = [];

  @Service()
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

  @Service()
  class NeverUsed implements Resettable {
    constructor() {
      built.push('NeverUsed');
    }
    reset(): void {
      log.push('NeverUsed');
    }
  }

  @Service({ id: 'app.broken' })
  class Broken implements Resettable {
    reset(): void {
      log.push('Broken');
      throw new Error('cannot clear cache');
    }
  }

  @Service()
  class SlowAsync implements Resettable {
    async reset(): Promise<void> {
      await tick(2);
      log.push('SlowAsync');
    }
  }

  @Service()
  class Rejecting implements Resettable {
    async reset(): Promise<void> {
      log.push('Rejecting');
      throw new Error('pool drain failed');
    }
  }

  @Service({ scope: 'request' })
  class PerRequest implements Resettable {
    reset(): void {
      log.push('PerRequest');
    }
  }

  @Service()
  class Stateless {}

  const VALUE = createToken<Resettable>('VALUE');
  const value: Resettable = { reset: () => void log.push('value') };
  const container = (adapter: 'inversify' | 'tsyringe') =>
    createContainer({
      adapter,
      services: [Buffered, NeverUsed, Broken, SlowAsync, Rejecting, PerRequest, Stateless],
      bindings: [{ id: VALUE, useValue: value }],
    });
  return { container, built, Buffered, NeverUsed, Broken, SlowAsync, Rejecting, PerRequest, Stateless, VALUE };
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
    expect(log).to.deep.equal(['Buffered', 'NeverUsed', 'Broken', 'SlowAsync', 'Rejecting', 'value']);
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

describe('isResettable', () => {
  it('recognises objects and functions with a reset() method, and nothing else', () => {
    expect(isResettable({ reset() {} })).to.equal(true);
    expect(isResettable(Object.assign(() => {}, { reset() {} }))).to.equal(true);
    expect(isResettable({ reset: 1 })).to.equal(false);
    expect(isResettable({})).to.equal(false);
    expect(isResettable(null)).to.equal(false);
    expect(isResettable('reset')).to.equal(false);
    expect(isResettable(undefined)).to.equal(false);
  });
});

import { expect } from 'chai';
import {
  createContainer,
  createToken,
  Inject,
  OverrideError,
  restoreOverridesAfterEach,
  Service,
  ServiceNotFoundError,
  ServicesResetter,
  type Container,
} from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';

const KERNEL = 'app.kernel';

function fixtures(adapter: 'inversify' | 'tsyringe') {
  const disposed: string[] = [];

  @Service({ aliases: ['mailer'] })
  class Mailer {
    send(to: string): string {
      return `sent to ${to}`;
    }
  }

  @Service({ public: false })
  class Transport {
    dispose(): void {
      disposed.push('Transport');
    }
  }

  @Service()
  class Notifier {
    constructor(@Inject('mailer') readonly mailer: Mailer, @Inject(Transport) readonly transport: Transport) {}
    dispose(): void {
      disposed.push(`Notifier(${this.mailer instanceof Mailer ? 'real' : 'fake'})`);
    }
  }

  @Service({ scope: 'transient' })
  class Formatter {
    constructor(@Inject(Mailer) readonly mailer: Mailer) {}
  }

  @Service()
  class Kernel {
    constructor(@Inject(Notifier) readonly notifier: Notifier, @Inject(Formatter) readonly formatter: Formatter) {}
  }

  @Service({ scope: 'request' })
  class CurrentUser {
    readonly name: string = 'real user';
  }

  const container = createContainer({
    adapter,
    services: [Mailer, Transport, Notifier, Formatter, Kernel, CurrentUser],
    bindings: [{ id: KERNEL, useExisting: Kernel }],
  });
  return { container, disposed, Mailer, Transport, Notifier, Formatter, Kernel, CurrentUser };
}

const fakeMailer = { send: (to: string) => `faked for ${to}` };

describeContract('overrides', (adapter) => {
  it('replaces a singleton, rebuilds the singletons holding it, and restores the very same instances', () => {
    const { container, Mailer, Notifier, Kernel, Formatter } = fixtures(adapter);
    container.boot();
    const [mailer, notifier, kernel] = [container.get(Mailer), container.get(Notifier), container.get(Kernel)];

    const handle = container.override(Mailer, { useValue: fakeMailer as InstanceType<typeof Mailer> });
    expect(container.get(Mailer)).to.equal(fakeMailer);
    expect(container.get('mailer')).to.equal(fakeMailer);
    expect(container.get(Notifier).mailer).to.equal(fakeMailer);
    expect(container.get(Kernel).notifier.mailer).to.equal(fakeMailer);
    expect(container.get(Kernel).formatter.mailer).to.equal(fakeMailer);
    expect(container.get(Kernel)).to.not.equal(kernel);

    handle.restore();
    expect(container.get(Mailer)).to.equal(mailer);
    expect(container.get(Notifier)).to.equal(notifier);
    expect(container.get(Kernel)).to.equal(kernel);
    // The vendor hands out the restored instances too when it injects them anew.
    expect(container.get(Formatter).mailer).to.equal(mailer);
    handle.restore();
    expect(container.get(Kernel)).to.equal(kernel);
  });

  it('replaces a service by a string id (an alias) with a factory, keeping its lifetime', () => {
    const { container, Kernel, Notifier } = fixtures(adapter);
    let made = 0;
    const handle = container.override(KERNEL, { useFactory: (notifier: InstanceType<typeof Notifier>) => ({ notifier, made: ++made }), inject: [Notifier] });
    expect(handle.id).to.equal(Kernel);
    const fake = container.get<{ notifier: InstanceType<typeof Notifier>; made: number }>(KERNEL);
    expect(fake.notifier).to.equal(container.get(Notifier));
    expect(container.get(Kernel)).to.equal(fake);
    expect(made).to.equal(1);
    handle.restore();
    expect(container.get(KERNEL)).to.be.instanceOf(Kernel);
  });

  it('replaces a request-scoped service in scopes, one instance per scope, until restored', () => {
    const { container, CurrentUser } = fixtures(adapter);
    class FakeUser {
      readonly name = 'fake user';
    }
    const handle = container.override(CurrentUser, { useClass: FakeUser });
    const a = container.createScope();
    const b = container.createScope();
    expect(a.get(CurrentUser).name).to.equal('fake user');
    expect(a.get(CurrentUser)).to.equal(a.get(CurrentUser));
    expect(a.get(CurrentUser)).to.not.equal(b.get(CurrentUser));
    handle.restore();
    expect(container.createScope().get(CurrentUser).name).to.equal('real user');
  });

  it('replaces private services too (they are dependencies only)', () => {
    const { container, Transport, Notifier } = fixtures(adapter);
    const transport = { dispose() {} };
    container.override(Transport, { useValue: transport });
    expect(container.get(Notifier).transport).to.equal(transport);
    container.restoreOverrides();
    expect(container.get(Notifier).transport).to.be.instanceOf(Transport);
  });

  it('restores a never-created singleton to "not created": nothing built during the test survives', async () => {
    const { container, Mailer, Notifier } = fixtures(adapter);
    const handle = container.override(Mailer, { useValue: fakeMailer as InstanceType<typeof Mailer> });
    const duringTest = container.get(Notifier);
    handle.restore();
    expect([...container.resettable.keys()]).to.deep.equal([]);
    const after = container.get(Notifier);
    expect(after).to.not.equal(duringTest);
    expect(after.mailer).to.be.instanceOf(Mailer);
  });

  it('stacks overrides of one id and restoreOverrides() undoes them newest first', () => {
    const { container, Mailer } = fixtures(adapter);
    const original = container.get(Mailer);
    container.override(Mailer, { useValue: { send: () => 'first' } as unknown as InstanceType<typeof Mailer> });
    container.override(Mailer, { useValue: { send: () => 'second' } as unknown as InstanceType<typeof Mailer> });
    expect(container.get(Mailer).send('x')).to.equal('second');
    container.restoreOverrides();
    expect(container.get(Mailer)).to.equal(original);
  });

  it('refuses to restore an override out of order when a later one touches the same services', () => {
    const { container, Mailer, Notifier, CurrentUser } = fixtures(adapter);
    const mailer = container.override(Mailer, { useValue: fakeMailer as InstanceType<typeof Mailer> });
    const notifier = container.override(Notifier, { useValue: {} as InstanceType<typeof Notifier> });
    const user = container.override(CurrentUser, { useValue: { name: 'x' } });
    expect(() => mailer.restore()).to.throw(
      OverrideError,
      'cannot restore the override of "Mailer" yet: the later override of "Notifier" also affects "Notifier"',
    );
    user.restore();
    notifier.restore();
    mailer.restore();
    expect(container.get(Notifier).mailer).to.be.instanceOf(Mailer);
  });

  it('refuses ids that are not registered', () => {
    const { container } = fixtures(adapter);
    expect(() => container.override('nope', { useValue: 1 })).to.throw(ServiceNotFoundError, 'only registered services can be overridden');
  });

  it('keeps reset and disposal accurate across an override', async () => {
    const { container, disposed, Mailer, Notifier } = fixtures(adapter);
    const resets: string[] = [];
    const resettableMailer = { send: () => '', reset: () => void resets.push('fake mailer') };
    container.get(Notifier);
    container.override(Mailer, { useValue: resettableMailer as unknown as InstanceType<typeof Mailer>, resettable: true });
    container.get(Notifier);
    await new ServicesResetter(container).reset();
    expect(resets).to.deep.equal(['fake mailer']);
    container.restoreOverrides();
    await new ServicesResetter(container).reset();
    expect(resets).to.deep.equal(['fake mailer']);
    await container.dispose();
    // The restored original and the one built during the override are both disposed, once each.
    expect(disposed.sort()).to.deep.equal(['Notifier(fake)', 'Notifier(real)', 'Transport']);
  });

  describe('restoreOverridesAfterEach', () => {
    const state = fixtures(adapter);
    const shared: Container = state.container;
    restoreOverridesAfterEach(shared);

    it('lets one test override a service...', () => {
      shared.override(state.Mailer, { useValue: fakeMailer as InstanceType<typeof state.Mailer> });
      expect(shared.get(state.Mailer)).to.equal(fakeMailer);
    });

    it('...and the next test gets the real one back', () => {
      expect(shared.get(state.Mailer)).to.be.instanceOf(state.Mailer);
    });

    it('accepts another framework\'s afterEach, and says so when there is none', () => {
      const hooks: (() => void)[] = [];
      restoreOverridesAfterEach(shared, (fn) => hooks.push(fn));
      shared.override(state.Mailer, { useValue: fakeMailer as InstanceType<typeof state.Mailer> });
      hooks[0]!();
      expect(shared.get(state.Mailer)).to.be.instanceOf(state.Mailer);
      const globals = globalThis as { afterEach?: unknown };
      const saved = globals.afterEach;
      globals.afterEach = undefined;
      try {
        expect(() => restoreOverridesAfterEach(shared)).to.throw(/no global afterEach/);
      } finally {
        globals.afterEach = saved;
      }
    });
  });
});

describe('overrides of a token-typed value', () => {
  it('type-checks the replacement against the token', () => {
    const PORT = createToken<number>('PORT');
    const container = createContainer({ bindings: [{ id: PORT, useValue: 8080 }] });
    container.override(PORT, { useValue: 9090 });
    const port: number = container.get(PORT);
    expect(port).to.equal(9090);
    container.restoreOverrides();
    expect(container.get(PORT)).to.equal(8080);
  });
});

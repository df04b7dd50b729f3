/** `container.describeServices()`: what `roadrunner-runtime debug:container` prints. */
import { expect } from 'chai';
import { createContainer, createToken, Inject, Service, type ServiceDescription } from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';
import { describeNativeContract } from './support/native-fixtures.js';

const REQUEST = createToken<{ id: number }>('REQUEST');
const LISTENER = createToken<object>('event.listener');

describeContract('describeServices', (adapter) => {
  @Service({ id: 'app.mailer', aliases: ['mailer'], tags: [LISTENER, 'mail'] })
  class Mailer {}

  @Service({ resettable: true })
  class Metrics {
    hits = 0;
    reset(): void {
      this.hits = 0;
    }
  }

  @Service({ scope: 'request' })
  class CurrentUser {
    constructor(@Inject(REQUEST) readonly request: { id: number }) {}
  }

  @Service({ scope: 'transient', public: false })
  class Stamp {}

  const byName = (list: ServiceDescription[]) => Object.fromEntries(list.map((service) => [service.name, service]));
  const make = () =>
    createContainer({
      adapter,
      defaults: false,
      services: [Mailer, Metrics, CurrentUser, Stamp],
      bindings: [
        { id: REQUEST, fromScope: true },
        { id: 'app.settings', useValue: { region: 'eu' }, public: false },
        { id: 'app.clock', useFactory: () => ({ now: () => 0 }) },
        { id: 'clock', useExisting: 'app.clock' },
      ],
    });

  it('lists every service in registration order with id, aliases, scope, visibility, tags, Resettable and recipe', () => {
    const services = make().describeServices();
    expect(services.map((service) => service.name)).to.deep.equal(['app.mailer', 'Metrics', 'CurrentUser', 'Stamp', 'REQUEST', 'app.settings', 'app.clock']);
    const named = byName(services);
    expect(named['app.mailer']).to.deep.include({ id: 'app.mailer', aliases: ['Mailer', 'mailer'], scope: 'singleton', public: true, tags: ['event.listener', 'mail'], resettable: false, recipe: 'class Mailer' });
    expect(named['Metrics']).to.deep.include({ id: Metrics, aliases: [], resettable: true, recipe: 'class Metrics' });
    expect(named['CurrentUser']).to.deep.include({ scope: 'request', public: true });
    expect(named['Stamp']).to.deep.include({ scope: 'transient', public: false });
    expect(named['REQUEST']).to.deep.include({ id: REQUEST, scope: 'request', recipe: 'scope value' });
    expect(named['app.settings']).to.deep.include({ public: false, recipe: 'value' });
    expect(named['app.clock']).to.deep.include({ aliases: ['clock'], recipe: 'factory' });
  });

  it('tells which services the root has built, and builds nothing to tell it', () => {
    const container = make();
    const built = () => Object.fromEntries(container.describeServices().map((service) => [service.name, service.built]));
    // A value exists from the start; nothing else was built by describing.
    expect(built()).to.deep.equal({ 'app.mailer': false, Metrics: false, CurrentUser: false, Stamp: false, REQUEST: false, 'app.settings': true, 'app.clock': false });
    container.get('mailer');
    expect(built()['app.mailer']).to.equal(true);
    expect(built()['Metrics']).to.equal(false);
    container.boot();
    const scope = container.createScope([[REQUEST, { id: 1 }]]);
    scope.get(CurrentUser);
    // Request-scoped and transient instances live in scopes and injections, never in the root.
    expect(built()).to.deep.equal({ 'app.mailer': true, Metrics: true, CurrentUser: false, Stamp: false, REQUEST: false, 'app.settings': true, 'app.clock': true });
  });

  it('shows an override in place of the original, and the original again once restored', () => {
    const container = make();
    const handle = container.override('app.clock', { useValue: { now: () => 1 } });
    expect(byName(container.describeServices())['app.clock']).to.deep.include({ recipe: 'value', aliases: ['clock'] });
    handle.restore();
    expect(byName(container.describeServices())['app.clock']).to.deep.include({ recipe: 'factory' });
  });
});

describeNativeContract('describeServices with native registrations', (fixture) => {
  it('lists what the vendor container registered, with its registration and its Resettable declaration', () => {
    const native = fixture();
    const services = native.container().describeServices();
    const metrics = services.find((service) => service.id === native.Metrics)!;
    expect(metrics).to.deep.include({ scope: 'singleton', resettable: true, public: true });
    expect(metrics.recipe).to.match(native.vendor === 'inversify' ? /^inversify / : /^tsyringe /);
    expect(services.find((service) => service.id === native.Cart)).to.deep.include({ scope: 'request' });
    expect(services.find((service) => service.id === native.Audit)).to.deep.include({ aliases: ['app.audit'], recipe: 'class Audit' });
  });
});

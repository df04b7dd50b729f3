import { expect } from 'chai';
import {
  createContainer,
  DisposalError,
  DisposedError,
  Inject,
  inversifyAdapter,
  Service,
  ServiceCreationError,
  type ContainerAdapter,
} from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';

describeContract('root container', (adapter) => {
  it('reports which vendor it runs on', () => {
    expect(createContainer({ adapter }).adapter).to.equal(adapter);
  });

  it('surfaces a failing singleton constructor at boot', () => {
    @Service()
    class Broken {
      constructor() {
        throw new Error('missing DATABASE_URL');
      }
    }
    const container = createContainer({ adapter, services: [Broken] });
    expect(() => container.boot()).to.throw(ServiceCreationError, 'could not create "Broken": missing DATABASE_URL');
  });

  it('disposes the singletons it built, newest first, all of them despite failures, but not values', async () => {
    const log: string[] = [];
    @Service()
    class Pool {
      async [Symbol.asyncDispose]() {
        log.push('Pool');
      }
    }
    @Service()
    class Cache {
      constructor(@Inject(Pool) readonly pool: Pool) {}
      dispose() {
        log.push('Cache');
        throw new Error('already closed');
      }
    }
    @Service()
    class NeverBuilt {
      dispose() {
        log.push('NeverBuilt');
      }
    }
    const container = createContainer({
      adapter,
      services: [Pool, Cache, NeverBuilt],
      bindings: [{ id: 'given', useValue: { dispose: () => log.push('given') } }],
    });
    container.get(Cache);
    container.get('given');
    const error = await container.dispose().catch((e: unknown) => e);
    expect(log).to.deep.equal(['Cache', 'Pool']);
    expect(error).to.be.instanceOf(DisposalError);
    expect((error as DisposalError).message).to.equal('1 service(s) failed to dispose with the container: "Cache": already closed');
    expect(await container.dispose().catch(() => 'same outcome')).to.equal('same outcome');
    expect(() => container.get(Pool)).to.throw(DisposedError, 'this container was disposed');
    expect(() => container.createScope()).to.throw(DisposedError);
  });
});

describe('createContainer({ adapter: object })', () => {
  it('uses the adapter object it is given for singletons and transients, never for request-scoped services', () => {
    const inner = inversifyAdapter();
    const bound: string[] = [];
    const spy: ContainerAdapter = {
      name: 'spy',
      bind: (binding) => {
        bound.push(`${String((binding.key as { name?: string }).name ?? binding.key)}:${binding.lifetime}`);
        inner.bind(binding);
      },
      get: (key) => inner.get(key),
      dispose: () => inner.dispose(),
    };
    @Service()
    class One {}
    @Service({ scope: 'transient' })
    class Many {}
    @Service({ scope: 'request' })
    class PerRequest {}
    const container = createContainer({ adapter: spy, services: [One, Many, PerRequest] });
    expect(container.adapter).to.equal('spy');
    expect(bound).to.deep.equal(['One:singleton', 'Many:transient']);
    expect(container.createScope().get(PerRequest)).to.be.instanceOf(PerRequest);
  });
});

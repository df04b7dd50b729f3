import { expect } from 'chai';
import {
  CircularDependencyError,
  ContainerConfigError,
  createContainer,
  createToken,
  DuplicateServiceError,
  Inject,
  optional,
  PrivateServiceError,
  ScopeRequiredError,
  Service,
  ServiceCreationError,
  ServiceNotFoundError,
  type Binding,
} from '../../src/container/index.js';
import { describeContract } from './support/describe-contract.js';

const LISTENER = createToken<{ on(event: string): string }>('event.listener');
const kvCacheId = (name: string) => `cache.adapter.rr_kv.${name}`;

describeContract('ids, aliases, visibility, tags, bindings', (adapter) => {
  describe('string ids and aliases', () => {
    @Service({ id: kvCacheId('local'), aliases: ['cache.local', 'cache.default'] })
    class KvCache {}

    @Service()
    class UsesCache {
      constructor(@Inject('cache.default') readonly cache: KvCache) {}
    }

    it('resolves a string id, the class and every alias to one instance', () => {
      const container = createContainer({
        adapter,
        services: [KvCache, UsesCache],
        bindings: [{ id: 'cache.app', useExisting: 'cache.local' }],
      });
      const cache = container.get(kvCacheId('local'));
      expect(cache).to.be.instanceOf(KvCache);
      for (const id of [KvCache, 'cache.local', 'cache.default', 'cache.app']) expect(container.get(id)).to.equal(cache);
      expect(container.get(UsesCache).cache).to.equal(cache);
      expect(container.has('cache.app')).to.equal(true);
    });

    it('rejects aliases to nothing, alias loops and ids taken twice', () => {
      expect(() => createContainer({ adapter, bindings: [{ id: 'a', useExisting: 'missing' }] })).to.throw(
        ServiceNotFoundError,
        'no service is registered as "missing", but binding #0 ("a") declares "a" as an alias of it',
      );
      expect(() =>
        createContainer({
          adapter,
          bindings: [
            { id: 'a', useExisting: 'b' },
            { id: 'b', useExisting: 'a' },
          ],
        }),
      ).to.throw(CircularDependencyError, '"a" -> "b" -> "a"');
      expect(() => createContainer({ adapter, services: [KvCache], bindings: [{ id: 'cache.local', useValue: 1 }] })).to.throw(
        DuplicateServiceError,
        '"cache.local" is registered twice: by @Service class "KvCache" and by binding #0 ("cache.local")',
      );
    });
  });

  describe('private services', () => {
    @Service({ public: false, aliases: ['secret.alias'] })
    class Secret {}

    @Service()
    class Public {
      constructor(@Inject(Secret) readonly secret: Secret) {}
    }

    it('are injectable but refused by id, from the root and from scopes', () => {
      const container = createContainer({ adapter, services: [Secret, Public] });
      expect(container.get(Public).secret).to.be.instanceOf(Secret);
      expect(() => container.get(Secret)).to.throw(PrivateServiceError, '"Secret" is private (public: false)');
      expect(() => container.get('secret.alias')).to.throw(PrivateServiceError, '"secret.alias" is private');
      expect(() => container.getOptional(Secret)).to.throw(PrivateServiceError);
      expect(() => container.createScope().get(Secret)).to.throw(PrivateServiceError);
      expect(container.has(Secret)).to.equal(false);
      expect(container.has(Public)).to.equal(true);
    });
  });

  describe('tags', () => {
    @Service({ tags: [LISTENER] })
    class First {
      on(event: string) {
        return `first:${event}`;
      }
    }
    @Service({ tags: [LISTENER, 'audit'], public: false, scope: 'transient' })
    class Second {
      on(event: string) {
        return `second:${event}`;
      }
    }
    @Service({ tags: [LISTENER], scope: 'request' })
    class PerRequest {
      on(event: string) {
        return `request:${event}`;
      }
    }

    it('collect tagged services in registration order, private ones included', () => {
      const container = createContainer({
        adapter,
        services: [First, Second],
        bindings: [{ id: 'third', useValue: { on: (e: string) => `third:${e}` }, tags: [LISTENER] }],
      });
      const listeners = container.getTagged(LISTENER);
      expect(listeners.map((l) => l.on('boot'))).to.deep.equal(['first:boot', 'second:boot', 'third:boot']);
      expect(container.getTagged('audit')).to.have.length(1);
      expect(container.getTagged('unknown')).to.deep.equal([]);
    });

    it('include request-scoped members in a scope, and refuse them from the root', () => {
      const container = createContainer({ adapter, services: [First, PerRequest] });
      const scope = container.createScope();
      expect(scope.getTagged(LISTENER).map((l) => l.on('x'))).to.deep.equal(['first:x', 'request:x']);
      expect(scope.getTagged(LISTENER)[1]).to.equal(scope.get(PerRequest));
      expect(() => container.getTagged(LISTENER)).to.throw(ScopeRequiredError, '"PerRequest" is request-scoped');
    });
  });

  describe('bindings', () => {
    it('build values, classes and factories with their dependencies, optional ones included', () => {
      const PORT = createToken<number>('PORT');
      class Server {
        constructor(@Inject(PORT) readonly port: number) {}
      }
      const bindings: Binding[] = [
        { id: PORT, useValue: 8080 },
        { id: 'server', useClass: Server },
        { id: 'url', useFactory: (port: number, missing: unknown) => `http://localhost:${port}${String(missing ?? '')}`, inject: [PORT, optional('nope')] },
        { id: 'counter', useFactory: () => ({}), scope: 'transient' },
      ];
      const container = createContainer({ adapter, bindings });
      expect(container.get<Server>('server').port).to.equal(8080);
      expect(container.get('url')).to.equal('http://localhost:8080');
      expect(container.get('counter')).to.not.equal(container.get('counter'));
      expect(container.getOptional('nope')).to.equal(undefined);
      expect(container.has('nope')).to.equal(false);
      expect(() => container.get('nope')).to.throw(ServiceNotFoundError, 'no service is registered as "nope"');
    });

    it('use the class\'s @Service scope for useClass unless the binding says otherwise', () => {
      @Service({ scope: 'request' })
      class PerRequest {}
      const container = createContainer({
        adapter,
        bindings: [
          { id: 'a', useClass: PerRequest },
          { id: 'b', useClass: PerRequest, scope: 'singleton' },
        ],
      });
      expect(() => container.get('a')).to.throw(ScopeRequiredError);
      expect(container.get('b')).to.equal(container.get('b'));
    });

    it('name the service whose constructor or factory threw', () => {
      @Service()
      class Db {
        constructor() {
          throw new Error('connection refused');
        }
      }
      @Service()
      class Repo {
        constructor(@Inject(Db) readonly db: Db) {}
      }
      const container = createContainer({ adapter, services: [Db, Repo] });
      const error = (() => {
        try {
          container.get(Repo);
        } catch (e) {
          return e as ServiceCreationError;
        }
      })();
      expect(error).to.be.instanceOf(ServiceCreationError);
      expect(error!.message).to.equal('could not create "Db": connection refused');
      expect((error!.cause as Error).message).to.equal('connection refused');
    });

    it('refuse async factories, malformed bindings and unknown adapters', () => {
      const container = createContainer({ adapter, bindings: [{ id: 'db', useFactory: async () => ({}) }] });
      expect(() => container.get('db')).to.throw(ContainerConfigError, 'the factory of "db" returned a promise');
      expect(() => createContainer({ adapter, bindings: [{ id: 'x' } as Binding] })).to.throw(
        ContainerConfigError,
        'binding #0 ("x") needs exactly one of useValue, useClass, useFactory, useExisting, fromScope; got none',
      );
      expect(() => createContainer({ adapter, bindings: [{ id: 'x', useValue: 1, useFactory: () => 2 } as Binding] })).to.throw(
        ContainerConfigError,
        'got useValue, useFactory',
      );
      expect(() => createContainer({ adapter: 'awilix' as 'inversify' })).to.throw(ContainerConfigError, 'unknown adapter "awilix"');
    });
  });
});

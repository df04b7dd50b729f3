import { expect } from 'chai';
import { parseRuntimeConfig } from '../../../src/runtime/config/parse-runtime-config.js';
import { configErrorOf } from './config-error-of.js';

describe('runtime/config parseRuntimeConfig', () => {
  const dev = { NODE_ENV: 'development' };

  describe('defaults', () => {
    it('fills every key from nothing, like the bundle', () => {
      expect(parseRuntimeConfig(undefined, 'code', { env: dev })).to.deep.equal({
        rr_config_path: '.rr.yaml',
        http: { lazy_boot: false, early_router_initialization: false },
        centrifugo: { lazy_boot: false },
        kv: { auto_register: true, serializer: null },
        jobs: { retry: { max_attempts: 4, delay: 1, multiplier: 2, max_delay: 3600 }, dead_letter_pipeline: null },
        temporal: { address: '127.0.0.1:7233', namespace: 'default', workers: {} },
      });
      expect(parseRuntimeConfig(null, 'code', { env: dev }).kv).to.not.have.property('keypair_path');
    });

    it('gives for no options (built without zod) exactly what the schema gives for an empty mapping', () => {
      for (const env of [dev, { NODE_ENV: 'production' }, {}]) {
        expect(parseRuntimeConfig(undefined, 'code', { env })).to.deep.equal(parseRuntimeConfig({}, 'code', { env }));
        expect(parseRuntimeConfig(null, 'code', { env })).to.deep.equal(parseRuntimeConfig({}, 'code', { env }));
      }
    });

    it('turns early_router_initialization on by default only when NODE_ENV=production', () => {
      expect(parseRuntimeConfig({}, 'code', { env: { NODE_ENV: 'production' } }).http.early_router_initialization).to.equal(true);
      expect(parseRuntimeConfig({}, 'code', { env: { NODE_ENV: 'test' } }).http.early_router_initialization).to.equal(false);
      expect(parseRuntimeConfig({}, 'code', { env: {} }).http.early_router_initialization).to.equal(false);
    });

    it('lets an explicit early_router_initialization win over the environment default', () => {
      const config = parseRuntimeConfig({ http: { early_router_initialization: false } }, 'code', { env: { NODE_ENV: 'production' } });
      expect(config.http.early_router_initialization).to.equal(false);
    });

    it('keeps the other keys of a partly given section at their defaults', () => {
      const config = parseRuntimeConfig({ http: { lazy_boot: true }, kv: { serializer: 'json' } }, 'code', { env: dev });
      expect(config.http).to.deep.equal({ lazy_boot: true, early_router_initialization: false });
      expect(config.kv).to.deep.equal({ auto_register: true, serializer: 'json' });
    });
  });

  describe('values', () => {
    it('accepts the strings true/false for booleans, so ${FLAG:-false} works', () => {
      const config = parseRuntimeConfig({ http: { lazy_boot: 'true' }, kv: { auto_register: 'FALSE' } }, 'code', { env: dev });
      expect(config.http.lazy_boot).to.equal(true);
      expect(config.kv.auto_register).to.equal(false);
    });

    it('accepts built-in and custom serializer names, and null', () => {
      for (const name of ['json', 'v8', 'msgpack', 'app.igbinary']) {
        expect(parseRuntimeConfig({ kv: { serializer: name } }, 'code').kv.serializer).to.equal(name);
      }
      expect(parseRuntimeConfig({ kv: { serializer: null } }, 'code').kv.serializer).to.equal(null);
    });

    it('keeps keypair_path when given and drops it when null', () => {
      expect(parseRuntimeConfig({ kv: { keypair_path: 'bin/keypair.key' } }, 'code').kv.keypair_path).to.equal('bin/keypair.key');
      expect(parseRuntimeConfig({ kv: { keypair_path: null } }, 'code').kv).to.not.have.property('keypair_path');
    });

    it('shapes temporal workers with the bundle defaults', () => {
      const config = parseRuntimeConfig(
        {
          temporal: {
            workers: {
              default: { taskQueue: 'greetings', workflow: ['GreetingWorkflow'], activity: ['GreetingActivity'] },
              bare: {},
            },
          },
        },
        'code',
      );
      expect(config.temporal.workers).to.deep.equal({
        default: { taskQueue: 'greetings', workflow: ['GreetingWorkflow'], activity: ['GreetingActivity'] },
        bare: { taskQueue: 'default', workflow: [], activity: [] },
      });
      expect(config.temporal.workers.bare?.workflow).to.not.equal(config.temporal.workers.default?.workflow);
    });

    it('takes the temporal connection: address, namespace, API key and TLS', () => {
      const config = parseRuntimeConfig(
        { temporal: { address: 'ns.tmprl.cloud:7233', namespace: 'ns', api_key: 'secret', tls: { root_ca: 'ca.pem', server_name: 'ns.tmprl.cloud' } } },
        'code',
      );
      expect(config.temporal).to.deep.equal({
        address: 'ns.tmprl.cloud:7233',
        namespace: 'ns',
        api_key: 'secret',
        tls: { root_ca: 'ca.pem', server_name: 'ns.tmprl.cloud' },
        workers: {},
      });
      expect(parseRuntimeConfig({ temporal: { tls: 'true' } }, 'code').temporal.tls).to.equal(true);
      expect(parseRuntimeConfig({ temporal: { tls: false } }, 'code').temporal.tls).to.equal(false);
      expect(parseRuntimeConfig({ temporal: {} }, 'code').temporal).to.not.have.property('tls');
    });

    it('reads an empty or null temporal.api_key (an unset ${TEMPORAL_API_KEY}) as no key', () => {
      expect(parseRuntimeConfig({ temporal: { api_key: '' } }, 'code').temporal).to.not.have.property('api_key');
      expect(parseRuntimeConfig({ temporal: { api_key: null } }, 'code').temporal).to.not.have.property('api_key');
    });
  });

  describe('errors', () => {
    it('names the source, the key path, what was expected and what was found', async () => {
      const error = await configErrorOf(() => parseRuntimeConfig({ http: { lazy_boot: 'yes' } }, 'roadrunner.yaml'));
      expect(error.message).to.equal('roadrunner.yaml: http.lazy_boot: expected a boolean, got "yes"');
      expect(error.path).to.equal('http.lazy_boot');
      expect(error.code).to.equal('ERR_CONFIG');
      expect(error.file).to.equal(undefined);
    });

    it('rejects an unknown key with a suggestion and the known keys', async () => {
      const error = await configErrorOf(() => parseRuntimeConfig({ http: { lazyboot: true } }, 'roadrunner.yaml'));
      expect(error.message).to.equal(
        'roadrunner.yaml: http.lazyboot: unknown key; did you mean "lazy_boot"? (known keys: lazy_boot, early_router_initialization)',
      );
      expect(error.path).to.equal('http.lazyboot');
    });

    it('rejects an unknown key without a close match, listing the known keys', async () => {
      const error = await configErrorOf(() => parseRuntimeConfig({ grpc: {} }, 'cfg'));
      expect(error.message).to.equal('cfg: grpc: unknown key (known keys: rr_config_path, http, centrifugo, kv, jobs, temporal)');
    });

    it('explains the bundle wrapper key', async () => {
      const error = await configErrorOf(() => parseRuntimeConfig({ fluffy_discord_road_runner: { http: {} } }, 'cfg'));
      expect(error.message).to.contain('cfg: fluffy_discord_road_runner: unknown key; this file holds the options at the top level');
    });

    it('lists every problem at once, one per line, each with its path', async () => {
      const error = await configErrorOf(() =>
        parseRuntimeConfig(
          {
            http: { lazy_boot: 1, early_router_initialisation: true },
            kv: { serializer: 42, keypair_path: '' },
            temporal: { workers: { default: { task_queue: 'q', workflow: 'GreetingWorkflow', activity: ['A', 7] } } },
          },
          'roadrunner.yaml',
        ),
      );
      const lines = error.message.split('\n');
      expect(lines).to.have.members([
        'roadrunner.yaml: http.lazy_boot: expected a boolean, got 1',
        'roadrunner.yaml: http.early_router_initialisation: unknown key; did you mean "early_router_initialization"? (known keys: lazy_boot, early_router_initialization)',
        'roadrunner.yaml: kv.serializer: expected null, "json", "v8", "msgpack" or the name of a registered serializer, got 42',
        'roadrunner.yaml: kv.keypair_path: expected a path to a keypair file (a non-empty string) or null, got "" (an empty string; is a ${VARIABLE} unset?)',
        'roadrunner.yaml: temporal.workers.default.workflow: expected a list of workflow module references, got "GreetingWorkflow"',
        'roadrunner.yaml: temporal.workers.default.activity[1]: expected an activity class reference (a non-empty string), got 7',
        'roadrunner.yaml: temporal.workers.default.task_queue: unknown key; did you mean "taskQueue"? (known keys: taskQueue, workflow, activity)',
      ]);
      expect(error.path).to.equal('http.lazy_boot');
    });

    it('names a bad temporal.tls value and unknown TLS keys', async () => {
      expect((await configErrorOf(() => parseRuntimeConfig({ temporal: { tls: 'yes' } }, 'cfg'))).message).to.equal(
        'cfg: temporal.tls: expected true, false or a mapping of root_ca, cert, key, server_name, got "yes"',
      );
      expect((await configErrorOf(() => parseRuntimeConfig({ temporal: { tls: { root_ca: 'ca.pem', ca: 'x' } } }, 'cfg'))).message).to.equal(
        'cfg: temporal.tls.ca: unknown key (known keys: root_ca, cert, key, server_name)',
      );
    });

    it('rejects a section or a whole config that is not a mapping', async () => {
      expect((await configErrorOf(() => parseRuntimeConfig({ kv: ['json'] }, 'cfg'))).message).to.equal('cfg: kv: expected a mapping, got a list of 1 item');
      expect((await configErrorOf(() => parseRuntimeConfig('lazy', 'cfg'))).message).to.equal('cfg: expected a mapping, got "lazy"');
      expect((await configErrorOf(() => parseRuntimeConfig({ temporal: { workers: { a: null } } }, 'cfg'))).message).to.equal(
        'cfg: temporal.workers.a: expected a mapping, got null',
      );
    });

    it('copies the file option to ConfigError.file', async () => {
      const error = await configErrorOf(() => parseRuntimeConfig({ http: 3 }, 'roadrunner.yaml', { file: '/app/roadrunner.yaml' }));
      expect(error.file).to.equal('/app/roadrunner.yaml');
      expect(error.message).to.equal('roadrunner.yaml: http: expected a mapping, got 3');
    });
  });
});

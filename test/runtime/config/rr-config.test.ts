import { expect } from 'chai';
import { parseRrConfig } from '../../../src/runtime/config/rr-config.js';
import { configErrorOf } from './config-error-of.js';

describe('runtime/config parseRrConfig', () => {
  it('exposes what the runtime relies on and passes the rest through', () => {
    const config = parseRrConfig({
      version: '3',
      rpc: { listen: 'tcp://127.0.0.1:6001' },
      server: { command: ['node', 'dist/worker.js'], relay: 'unix://rr.sock', env: { NODE_ENV: 'production' } },
      http: { address: '127.0.0.1:8080', pool: { num_workers: 2 } },
      kv: { local: { driver: 'memory', config: {} }, redis: { driver: 'redis', config: { addrs: ['127.0.0.1:6379'] } } },
      jobs: { pipelines: { default: { driver: 'memory', config: { priority: 10 } } } },
      grpc: { listen: 'tcp://127.0.0.1:9001', proto: ['a.proto'] },
    });
    expect(config.version).to.equal('3');
    expect(config.rpcAddress()).to.equal('tcp://127.0.0.1:6001');
    expect(config.serverCommand()).to.deep.equal(['node', 'dist/worker.js']);
    expect(config.serverRelay()).to.equal('unix://rr.sock');
    expect(config.httpAddress()).to.equal('127.0.0.1:8080');
    expect(config.kvStorages()).to.deep.equal([
      { name: 'local', driver: 'memory', config: {} },
      { name: 'redis', driver: 'redis', config: { addrs: ['127.0.0.1:6379'] } },
    ]);
    expect(config.jobsPipelines()).to.deep.equal([{ name: 'default', driver: 'memory', config: { priority: 10 } }]);
    expect(config.has('grpc')).to.equal(true);
    expect(config.section('grpc')).to.deep.equal({ listen: 'tcp://127.0.0.1:9001', proto: ['a.proto'] });
    expect(config.section('http')).to.deep.equal({ address: '127.0.0.1:8080', pool: { num_workers: 2 } });
    expect(config.section('tcp')).to.equal(undefined);
  });

  it('has empty answers for absent or empty sections', () => {
    const config = parseRrConfig({ version: '3', rpc: null, kv: null, jobs: { consume: [] } });
    expect(config.rpcAddress()).to.equal(undefined);
    expect(config.httpAddress()).to.equal(undefined);
    expect(config.serverCommand()).to.equal(undefined);
    expect(config.serverRelay()).to.equal('pipes');
    expect(config.kvStorages()).to.deep.equal([]);
    expect(config.jobsPipelines()).to.deep.equal([]);
    expect(config.has('rpc')).to.equal(true);
    expect(parseRrConfig({ version: '3', rpc: { listen: '' } }).rpcAddress()).to.equal(undefined);
  });

  it('splits a string server.command on single spaces, as rr does', () => {
    expect(parseRrConfig({ version: '3', server: { command: 'node --import tsx src/worker.ts' } }).serverCommand()).to.deep.equal([
      'node',
      '--import',
      'tsx',
      'src/worker.ts',
    ]);
    expect(parseRrConfig({ version: '3', server: { command: 'node  a.js' } }).serverCommand()).to.deep.equal(['node', '', 'a.js']);
  });

  it('lower-cases kv storage and pipeline names like rr (viper) does', () => {
    const config = parseRrConfig({ version: '3', kv: { MyCache: { driver: 'memory' } }, jobs: { pipelines: { HighPrio: { driver: 'memory' } } } });
    expect(config.kvStorages().map((storage) => storage.name)).to.deep.equal(['mycache']);
    expect(config.jobsPipelines().map((pipeline) => pipeline.name)).to.deep.equal(['highprio']);
  });

  describe('errors', () => {
    it('requires version, as a string', async () => {
      const missing = await configErrorOf(() => parseRrConfig({ rpc: { listen: 'tcp://127.0.0.1:6001' } }));
      expect(missing.message).to.equal('.rr.yaml: version: missing, expected a version string such as "3" (quoted: rr rejects a bare number)');
      const number = await configErrorOf(() => parseRrConfig({ version: 3 }, 'config/.rr.yaml'));
      expect(number.message).to.equal('config/.rr.yaml: version: expected a version string such as "3" (quoted: rr rejects a bare number), got 3');
      expect(number.path).to.equal('version');
    });

    it('names kv.NAME.driver for a storage without driver', async () => {
      const error = await configErrorOf(() => parseRrConfig({ version: '3', kv: { local: { config: {} }, ok: { driver: 'memory' } } }));
      expect(error.message).to.equal('.rr.yaml: kv.local.driver: missing, expected a driver name such as "memory", "boltdb", "redis" or "memcached"');
      expect(error.path).to.equal('kv.local.driver');
    });

    it('rejects a storage that is not a mapping, a non-mapping config and a wrong driver type', async () => {
      const error = await configErrorOf(() =>
        parseRrConfig({ version: '3', kv: { a: 'memory', b: { driver: 'memory', config: 'x' }, c: { driver: 5 } } }),
      );
      expect(error.message.split('\n')).to.deep.equal([
        '.rr.yaml: kv.a: expected a mapping with a "driver" key (one storage), got "memory"',
        '.rr.yaml: kv.b.config: expected a mapping of driver options, got "x"',
        '.rr.yaml: kv.c.driver: expected a driver name such as "memory", "boltdb", "redis" or "memcached", got 5',
      ]);
    });

    it('rejects storage names that differ only by case', async () => {
      const error = await configErrorOf(() => parseRrConfig({ version: '3', kv: { Cache: { driver: 'memory' }, cache: { driver: 'memory' } } }));
      expect(error.message).to.equal(
        '.rr.yaml: kv.cache: storage name differs only by case from "Cache"; rr reads keys case-insensitively, so they would collide',
      );
    });

    it('names jobs.pipelines.NAME.driver for a pipeline without driver', async () => {
      const error = await configErrorOf(() => parseRrConfig({ version: '3', jobs: { pipelines: { default: { config: {} } } } }));
      expect(error.path).to.equal('jobs.pipelines.default.driver');
    });

    it('checks the types of rpc.listen, server.command, server.relay and http.address', async () => {
      const error = await configErrorOf(() =>
        parseRrConfig({ version: '3', rpc: { listen: 6001 }, server: { command: [], relay: '' }, http: { address: 8080 } }),
      );
      expect(error.message.split('\n')).to.deep.equal([
        '.rr.yaml: rpc.listen: expected an address such as "tcp://127.0.0.1:6001", got 6001',
        '.rr.yaml: server.command: expected a command line (string) or an argv list of strings, got an empty list',
        '.rr.yaml: server.relay: expected "pipes", "tcp://host:port" or "unix://path", got "" (an empty string; is a ${VARIABLE} unset?)',
        '.rr.yaml: http.address: expected an address such as "127.0.0.1:8080", got 8080',
      ]);
    });

    it('rejects a config that is not a mapping', async () => {
      const error = await configErrorOf(() => parseRrConfig(['version', '3']));
      expect(error.message).to.equal('.rr.yaml: expected a mapping (an rr config file), got a list of 2 items');
    });
  });
});

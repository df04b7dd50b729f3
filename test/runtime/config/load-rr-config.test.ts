import { expect } from 'chai';
import { loadRrConfig } from '../../../src/runtime/config/load-rr-config.js';
import { configErrorOf, fixture } from './config-error-of.js';

describe('runtime/config loadRrConfig', () => {
  it('reads a realistic .rr.yaml with env expansion and YAML merge keys', async () => {
    const config = await loadRrConfig({ projectDir: fixture('rr'), env: { RPC_PORT: '7001', REDIS_ADDR: 'redis:6379' } });
    expect(config.source).to.deep.equal({ label: '.rr.yaml', file: fixture('rr', '.rr.yaml') });
    expect(config.version).to.equal('3');
    expect(config.rpcAddress()).to.equal('tcp://127.0.0.1:7001');
    expect(config.serverCommand()).to.deep.equal(['node', 'dist/worker.js']);
    expect(config.serverRelay()).to.equal('pipes');
    expect(config.httpAddress()).to.equal('127.0.0.1:8080');
    expect(config.kvStorages()).to.deep.equal([
      { name: 'local', driver: 'memory', config: {} },
      { name: 'sessions', driver: 'redis', config: { addrs: ['redis:6379'] } },
    ]);
    expect(config.jobsPipelines()).to.deep.equal([{ name: 'default', driver: 'memory', config: { priority: 10, prefetch: 10000 } }]);
    expect(config.section('http')).to.deep.equal({
      address: '127.0.0.1:8080',
      pool: { num_workers: 2, supervisor: { exec_ttl: '30s' }, max_jobs: 64 },
    });
    expect(config.section('centrifuge')).to.deep.equal({
      proxy_address: 'tcp://127.0.0.1:30000',
      grpc_api_address: '127.0.0.1:10000',
      pool: { num_workers: 1 },
    });
  });

  it('uses defaults of ${VAR:-default} and empties unset variables', async () => {
    const config = await loadRrConfig({ file: fixture('rr', '.rr.yaml'), env: { HTTP_HOST: '0.0.0.0' } });
    expect(config.rpcAddress()).to.equal('tcp://127.0.0.1:6001');
    expect(config.httpAddress()).to.equal('0.0.0.0:8080');
    expect(config.kvStorages()[1]?.config).to.deep.equal({ addrs: [''] });
  });

  it('resolves a relative file (rr_config_path) against the project dir', async () => {
    const config = await loadRrConfig({ projectDir: fixture(), file: 'rr/.rr.yaml', env: {} });
    expect(config.source.label).to.equal('rr/.rr.yaml');
    expect(config.kvStorages()).to.have.length(2);
  });

  it('merges include: files, each top-level section replacing the one before', async () => {
    const config = await loadRrConfig({ projectDir: fixture('rr-include'), env: {} });
    expect(config.kvStorages()).to.deep.equal([{ name: 'cache', driver: 'boltdb', config: { file: 'var/cache.db' } }]);
    expect(config.rpcAddress()).to.equal('tcp://127.0.0.1:6001');
    expect(config.serverCommand()).to.deep.equal(['node', 'dist/worker.js']);
  });

  it('rejects an included file whose version differs, naming it', async () => {
    const error = await configErrorOf(() => loadRrConfig({ projectDir: fixture('rr-include-version'), env: {} }));
    expect(error.message).to.equal('old.rr.yaml: version: expected "3" like .rr.yaml (which includes it as include[0]), got "2.7"');
    expect(error.file).to.equal(fixture('rr-include-version', 'old.rr.yaml'));
  });

  it('names kv.NAME.driver and the file for a storage without driver', async () => {
    const error = await configErrorOf(() => loadRrConfig({ projectDir: fixture('rr-bad-kv'), env: {} }));
    expect(error.message).to.equal('.rr.yaml: kv.local.driver: missing, expected a driver name such as "memory", "boltdb", "redis" or "memcached"');
    expect(error.file).to.equal(fixture('rr-bad-kv', '.rr.yaml'));
    expect(error.path).to.equal('kv.local.driver');
  });

  it('fails clearly when the file is missing', async () => {
    const error = await configErrorOf(() => loadRrConfig({ projectDir: fixture('full'), env: {} }));
    expect(error.message).to.equal(`.rr.yaml: file not found (${fixture('full', '.rr.yaml')})`);
  });
});

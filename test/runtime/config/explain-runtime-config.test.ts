import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainRuntimeConfig } from '../../../src/runtime/config/explain-runtime-config.js';
import { loadRuntimeConfig } from '../../../src/runtime/config/load-runtime-config.js';
import { ConfigError } from '../../../src/runtime/errors.js';

describe('runtime/config explainRuntimeConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-explain-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const originOf = (values: readonly { path: string; origin: unknown }[], path: string) => values.find((value) => value.path === path)?.origin;

  it('names the origin of every value: default, the file, the file through ${VAR}, or defineApp code', async () => {
    writeFileSync(
      join(dir, 'roadrunner.yaml'),
      ['http:', '  lazy_boot: ${LAZY}', 'temporal:', '  address: ${TEMPORAL_ADDRESS:-127.0.0.1:7233}', '  api_key: ${KEY}', 'jobs:', '  retry:', '    delay: 5'].join('\n'),
    );
    const env = { LAZY: 'true', KEY: 'sekret' };
    const overrides = { jobs: { retry: { max_attempts: 9 } }, centrifugo: { lazy_boot: true } };
    const explained = await explainRuntimeConfig({ projectDir: dir, env, overrides });
    expect(explained.config).to.deep.equal(await loadRuntimeConfig({ projectDir: dir, env, overrides }));
    expect(explained.file).to.equal('roadrunner.yaml');
    const { values } = explained;
    expect(originOf(values, 'rr_config_path')).to.deep.equal({ kind: 'default' });
    expect(originOf(values, 'jobs.retry.delay')).to.deep.equal({ kind: 'file', file: 'roadrunner.yaml' });
    expect(originOf(values, 'jobs.retry.max_attempts')).to.deep.equal({ kind: 'code', label: 'defineApp({ config })' });
    expect(originOf(values, 'centrifugo.lazy_boot')).to.deep.equal({ kind: 'code', label: 'defineApp({ config })' });
    expect(values.find((value) => value.path === 'http.lazy_boot')).to.deep.equal({
      path: 'http.lazy_boot',
      value: true,
      secret: false,
      origin: { kind: 'file', file: 'roadrunner.yaml', expansion: { written: '${LAZY}', variables: [{ name: 'LAZY', set: true }] } },
    });
    expect(originOf(values, 'temporal.address')).to.deep.equal({
      kind: 'file',
      file: 'roadrunner.yaml',
      expansion: { written: '${TEMPORAL_ADDRESS:-127.0.0.1:7233}', variables: [{ name: 'TEMPORAL_ADDRESS', set: false }] },
    });
    expect(values.find((value) => value.path === 'temporal.address')!.value).to.equal('127.0.0.1:7233');
    expect(values.find((value) => value.path === 'temporal.api_key')).to.deep.include({ secret: true, value: 'sekret' });
    // Every leaf once, empty mappings included.
    expect(values.map((value) => value.path)).to.include.members(['temporal.workers', 'kv.serializer', 'http.early_router_initialization']);
    expect(new Set(values.map((value) => value.path)).size).to.equal(values.length);
  });

  it('says there is no file when none exists, every value then a default', async () => {
    const explained = await explainRuntimeConfig({ projectDir: dir, env: {} });
    expect(explained.file).to.equal(undefined);
    expect(explained.values.every((value) => value.origin.kind === 'default')).to.equal(true);
  });

  it('fails as loadRuntimeConfig does, naming the file and the key', async () => {
    writeFileSync(join(dir, 'roadrunner.yaml'), 'http:\n  lazy_boot: "yes"\n');
    const error = await explainRuntimeConfig({ projectDir: dir, env: {} }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.contain('roadrunner.yaml: http.lazy_boot');
  });
});

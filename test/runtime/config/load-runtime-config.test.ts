import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuntimeConfig } from '../../../src/runtime/config/load-runtime-config.js';
import { configErrorOf, fixture } from './config-error-of.js';

describe('runtime/config loadRuntimeConfig', () => {
  let emptyDir: string;

  before(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'rrr-config-'));
  });

  after(() => {
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('reads roadrunner.yaml from the project dir and expands env references in values', async () => {
    const config = await loadRuntimeConfig({
      projectDir: fixture('full'),
      env: { NODE_ENV: 'production', HTTP_LAZY_BOOT: 'true', KEYPAIR_DIR: '/secrets', TASK_QUEUE: 'greetings' },
    });
    expect(config).to.deep.equal({
      rr_config_path: 'config/.rr.yaml',
      http: { lazy_boot: true, early_router_initialization: true },
      centrifugo: { lazy_boot: true },
      kv: { auto_register: false, serializer: 'msgpack', keypair_path: '/secrets/keypair.key' },
      jobs: { retry: { max_attempts: 4, delay: 1, multiplier: 2, max_delay: 3600 }, dead_letter_pipeline: null },
      temporal: {
        address: '127.0.0.1:7233',
        namespace: 'payments',
        tls: { root_ca: 'certs/ca.pem', server_name: 'temporal.internal' },
        workers: {
          default: {
            taskQueue: 'greetings',
            workflow: ['./temporal/workflows.ts#greetingWorkflow'],
            activity: ['./temporal/greeting-activity.ts#GreetingActivity', './temporal/mail-activity.ts#MailActivity'],
          },
          billing: { taskQueue: 'default', workflow: ['@acme/billing/workflows'], activity: [] },
        },
      },
    });
  });

  it('lets options in code win over the file key by key, and names them when they are invalid', async () => {
    const env = { NODE_ENV: 'production', HTTP_LAZY_BOOT: 'true', KEYPAIR_DIR: '/secrets', TASK_QUEUE: 'greetings' };
    const config = await loadRuntimeConfig({ projectDir: fixture('full'), env, overrides: { http: { lazy_boot: false }, kv: { keypair_path: null } } });
    expect(config.http).to.deep.equal({ lazy_boot: false, early_router_initialization: true });
    expect(config.kv).to.deep.equal({ auto_register: false, serializer: 'msgpack' });
    expect(config.centrifugo.lazy_boot).to.equal(true);

    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture('full'), env, overrides: { http: { lazyBoot: true } as never } }));
    expect(error.message).to.contain('defineApp({ config }): http.lazyBoot: unknown key; did you mean "lazy_boot"?');
  });

  it('reads the file named by ROADRUNNER_RUNTIME_CONFIG, which must exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrr-config-'));
    try {
      writeFileSync(join(dir, 'runtime.yaml'), 'http:\n  lazy_boot: true\n');
      writeFileSync(join(dir, 'roadrunner.yaml'), 'http:\n  lazy_boot: false\n');
      const config = await loadRuntimeConfig({ projectDir: dir, env: { ROADRUNNER_RUNTIME_CONFIG: 'runtime.yaml' } });
      expect(config.http.lazy_boot).to.equal(true);
      const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: dir, env: { ROADRUNNER_RUNTIME_CONFIG: 'missing.yaml' } }));
      expect(error.message).to.equal(`missing.yaml: file not found (${join(dir, 'missing.yaml')})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a value that an unset variable emptied, naming the file', async () => {
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture('full'), env: {} }));
    expect(error.message).to.equal(
      'roadrunner.yaml: temporal.workers.default.taskQueue: expected a task queue name (a non-empty string), got "" (an empty string; is a ${VARIABLE} unset?)',
    );
    expect(error.file).to.equal(fixture('full', 'roadrunner.yaml'));
    expect(error.path).to.equal('temporal.workers.default.taskQueue');
  });

  it('applies the defaults when no file is given and roadrunner.yaml does not exist', async () => {
    const config = await loadRuntimeConfig({ projectDir: emptyDir, env: { NODE_ENV: 'production' } });
    expect(config.rr_config_path).to.equal('.rr.yaml');
    expect(config.http).to.deep.equal({ lazy_boot: false, early_router_initialization: true });
  });

  it('fails clearly when an explicit file is missing', async () => {
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: emptyDir, file: 'config/roadrunner.yaml', env: {} }));
    expect(error.message).to.equal(`config/roadrunner.yaml: file not found (${join(emptyDir, 'config/roadrunner.yaml')})`);
    expect(error.file).to.equal(join(emptyDir, 'config/roadrunner.yaml'));
  });

  it('fails clearly when the file is a directory', async () => {
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture(), file: 'full', env: {} }));
    expect(error.message).to.match(/^full: is a directory, expected a YAML file \(/);
  });

  it('gives file:line:col and the offending line for a YAML syntax error', async () => {
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture('syntax-error'), env: {} }));
    const [first, ...excerpt] = error.message.split('\n');
    expect(first).to.match(/^roadrunner\.yaml:5:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]$/);
    expect(excerpt.join('\n')).to.contain('  serializer: [json');
    expect(error.file).to.equal(fixture('syntax-error', 'roadrunner.yaml'));
  });

  it('reports duplicate keys and multi-document files as syntax errors', async () => {
    const file = join(emptyDir, 'dup.yaml');
    writeFileSync(file, 'http:\n  lazy_boot: true\n  lazy_boot: false\n');
    const duplicate = await configErrorOf(() => loadRuntimeConfig({ projectDir: emptyDir, file: 'dup.yaml', env: {} }));
    expect(duplicate.message.split('\n')[0]).to.equal('dup.yaml:3:3: YAML syntax error: Map keys must be unique');

    writeFileSync(file, 'http: {}\n---\nkv: {}\n');
    const multi = await configErrorOf(() => loadRuntimeConfig({ projectDir: emptyDir, file: 'dup.yaml', env: {} }));
    expect(multi.message).to.equal('dup.yaml:2:1: YAML syntax error: the file holds more than one YAML document (a `---` line); expected exactly one');
  });

  it('reports every invalid and unknown key of a file', async () => {
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture('invalid'), env: {} }));
    expect(error.message.split('\n')).to.have.members([
      'roadrunner.yaml: http.lazy_boot: expected a boolean, got "yes"',
      'roadrunner.yaml: http.earlyRouterInitialization: unknown key; did you mean "early_router_initialization"? (known keys: lazy_boot, early_router_initialization)',
      'roadrunner.yaml: kv.serializer: expected null, "json", "v8", "msgpack" or the name of a registered serializer, got 42',
      'roadrunner.yaml: temporal.workers.default.workflow: expected a list of workflow module references, got "GreetingWorkflow"',
      'roadrunner.yaml: temporal.workers.default.task_queue: unknown key; did you mean "taskQueue"? (known keys: taskQueue, workflow, activity)',
    ]);
  });

  it('treats an empty file as no options, and shows an absolute path for a file outside the project', async () => {
    const file = join(emptyDir, 'empty.yaml');
    writeFileSync(file, '# nothing yet\n');
    const config = await loadRuntimeConfig({ projectDir: fixture(), file, env: {} });
    expect(config.kv.auto_register).to.equal(true);

    writeFileSync(file, 'kv: 1\n');
    const error = await configErrorOf(() => loadRuntimeConfig({ projectDir: fixture(), file, env: {} }));
    expect(error.message).to.equal(`${file}: kv: expected a mapping, got 1`);
  });
});

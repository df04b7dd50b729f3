/** temporalBindings: what the `temporal:` config names is checked at boot, and registered in the container. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { TemporalRuntimeConfig } from '../../../src/runtime/config/runtime-config.js';
import { loadTemporalModules, TEMPORAL_FIXTURES, type TemporalModules } from './support.js';

describe('bridges/temporal temporalBindings', () => {
  let modules: TemporalModules;
  before(async () => {
    modules = await loadTemporalModules();
  });

  function bindings(temporal: Record<string, unknown>, projectDir = TEMPORAL_FIXTURES) {
    return modules.bridge.temporalBindings({ runtimeConfig: modules.parseRuntimeConfig({ temporal }), projectDir });
  }
  const worker = (entry: Partial<Record<'workflow' | 'activity', string[]>>) => ({ workers: { default: entry } });

  async function failure(temporal: Record<string, unknown>, projectDir?: string): Promise<Error & { code: string; path?: string }> {
    try {
      await bindings(temporal, projectDir);
    } catch (error) {
      return error as Error & { code: string; path?: string };
    }
    throw new Error('expected temporalBindings to fail');
  }

  describe('boot errors naming what does not exist', () => {
    it('an activity module', async () => {
      const error = await failure(worker({ activity: ['./missing-activity.ts#GreetingActivity'] }));
      expect(error).to.be.instanceOf(modules.bridge.TemporalModuleNotFoundError);
      expect(error.message).to.equal(
        `temporal.workers.default.activity[0]: "./missing-activity.ts#GreetingActivity": module ${join(TEMPORAL_FIXTURES, 'missing-activity.ts')} does not exist`,
      );
      expect(error.path).to.equal('temporal.workers.default.activity[0]');
    });

    it('an activity class, listing what the module exports', async () => {
      const error = await failure(worker({ activity: ['./greeting-activity.ts#GreetingActivity', './greeting-activity.ts#GreetingActivty'] }));
      expect(error).to.be.instanceOf(modules.bridge.TemporalExportNotFoundError);
      expect(error.message).to.equal(
        `temporal.workers.default.activity[1]: "./greeting-activity.ts#GreetingActivty": ${join(TEMPORAL_FIXTURES, 'greeting-activity.ts')} has no export "GreetingActivty" (it exports GreetingActivity)`,
      );
    });

    it('a default export, when the reference names none', async () => {
      const error = await failure(worker({ activity: ['./greeting-activity.ts'] }));
      expect(error).to.be.instanceOf(modules.bridge.TemporalExportNotFoundError);
      expect(error.message).to.contain('has no export "default" (it exports GreetingActivity)');
    });

    it('a workflow module, by path or by package name', async () => {
      const byPath = await failure(worker({ workflow: ['./workflows.ts#greetingWorkflow', './gone.ts#greetingWorkflow'] }));
      expect(byPath).to.be.instanceOf(modules.bridge.TemporalModuleNotFoundError);
      expect(byPath.message).to.equal(`temporal.workers.default.workflow[1]: "./gone.ts#greetingWorkflow": module ${join(TEMPORAL_FIXTURES, 'gone.ts')} does not exist`);
      const byPackage = await failure(worker({ workflow: ['@acme/no-such-workflows#billing'] }));
      expect(byPackage.message).to.equal(
        `temporal.workers.default.workflow[0]: "@acme/no-such-workflows#billing": module @acme/no-such-workflows (resolved from ${TEMPORAL_FIXTURES}) does not exist`,
      );
    });
  });

  describe('boot errors for what cannot be an activity', () => {
    it('an export that is not a class', async () => {
      const error = await failure(worker({ activity: ['./not-activities.ts#notAClass'] }));
      expect(error.message).to.equal('temporal.workers.default.activity[0]: "./not-activities.ts#notAClass": the export "notAClass" is not a class (got a number)');
    });

    it('a class without methods', async () => {
      const error = await failure(worker({ activity: ['./not-activities.ts#NoMethods'] }));
      expect(error.message).to.equal('temporal.workers.default.activity[0]: "./not-activities.ts#NoMethods": class NoMethods has no methods to register as activities');
    });

    it('two classes of one worker providing the same activity name', async () => {
      const error = await failure(worker({ activity: ['./greeting-activity.ts#GreetingActivity', './not-activities.ts#OtherGreeting'] }));
      expect(error.message).to.match(
        /^temporal\.workers\.default\.activity\[1\]: "\.\/not-activities\.ts#OtherGreeting": activity "composeGreeting" of class OtherGreeting is also provided by GreetingActivity \(temporal\.workers\.default\.activity\[0\]\)/,
      );
    });

    it('a class the container cannot build, when the container is created', async () => {
      const list = await bindings(worker({ activity: ['./not-activities.ts#NeedsGreeter'] }));
      expect(() => modules.container.createContainer({ bindings: list })).to.throw(modules.container.MissingDependencyError, /"NeedsGreeter" needs "Greeter"/);
    });

    it('malformed references', async () => {
      expect((await failure(worker({ activity: ['#GreetingActivity'] }))).message).to.equal(
        'temporal.workers.default.activity[0]: "#GreetingActivity" names no module; expected "<module>#<export>", e.g. "./temporal/workflows.ts#greetingWorkflow"',
      );
      expect((await failure(worker({ workflow: ['./workflows.ts#greeting-workflow'] }))).message).to.equal(
        'temporal.workers.default.workflow[0]: "./workflows.ts#greeting-workflow": "greeting-workflow" after # is not an export name (a JavaScript identifier)',
      );
    });

    it('the same workflow name listed twice', async () => {
      const error = await failure(worker({ workflow: ['./workflows.ts#greetingWorkflow', './workflows.ts#greetingWorkflow'] }));
      expect(error.message).to.equal(
        'temporal.workers.default.workflow[1]: "./workflows.ts#greetingWorkflow": a workflow named "greetingWorkflow" is already registered by temporal.workers.default.workflow[0] ("./workflows.ts#greetingWorkflow")',
      );
    });
  });

  describe('TLS', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'rrr-temporal-tls-'));
      writeFileSync(join(dir, 'ca.pem'), 'CA');
      writeFileSync(join(dir, 'client.pem'), 'CRT');
      writeFileSync(join(dir, 'client.key'), 'KEY');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the PEM files relative to the project dir', async () => {
      const list = await bindings({ tls: { root_ca: 'ca.pem', cert: 'client.pem', key: 'client.key', server_name: 'temporal.internal' } }, dir);
      const settings = modules.container.createContainer({ bindings: list }).get(modules.bridge.TEMPORAL_SETTINGS);
      expect(settings.connection.tls).to.deep.equal({
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: Buffer.from('CA'),
        clientCertPair: { crt: Buffer.from('CRT'), key: Buffer.from('KEY') },
      });
    });

    it('refuses a client certificate without its key, and a file it cannot read', async () => {
      const half = await failure({ tls: { cert: 'client.pem' } }, dir);
      expect(half.message).to.equal('temporal.tls.key: missing: a client certificate needs both temporal.tls.cert and temporal.tls.key');
      const unreadable = await failure({ tls: { root_ca: 'nope.pem' } }, dir);
      expect(unreadable.message).to.equal(`temporal.tls.root_ca: cannot read ${join(dir, 'nope.pem')}: ENOENT`);
    });

    it('keeps the API key out of every message', async () => {
      const error = await failure({ api_key: 'super-secret-key', tls: { root_ca: 'nope.pem' } }, dir);
      expect(error.message).to.not.contain('super-secret-key');
    });
  });

  describe('the bindings', () => {
    it('register every listed activity class once, the activity context and the client', async () => {
      const temporal: Partial<TemporalRuntimeConfig> = {
        workers: {
          default: { taskQueue: 'greetings', workflow: [], activity: ['./greeting-activity.ts#GreetingActivity'] },
          slow: { taskQueue: 'slow', workflow: [], activity: ['./slow-activity.ts#SlowActivity', './greeting-activity.ts#GreetingActivity'] },
        },
      };
      const container = modules.container.createContainer({ services: modules.services.FIXTURE_SERVICES, bindings: await bindings(temporal) });
      const settings = container.get(modules.bridge.TEMPORAL_SETTINGS);
      expect(settings.workers.map((entry) => [entry.name, entry.taskQueue, entry.activities.map((activity) => activity.type.name)])).to.deep.equal([
        ['default', 'greetings', ['GreetingActivity']],
        ['slow', 'slow', ['SlowActivity', 'GreetingActivity']],
      ]);
      expect(settings.workers[0]!.activities[0]!.methods).to.deep.equal(['composeGreeting', 'waitForCancellation', 'failGreeting']);
      expect(container.has(modules.GreetingActivity)).to.equal(true);
      const client = container.get(modules.bridge.TEMPORAL_CLIENT);
      expect(client).to.be.instanceOf(modules.bridge.TemporalClient);
      await container.dispose();
    });
  });
});

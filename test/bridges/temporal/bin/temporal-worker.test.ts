/**
 * The Temporal worker entry as a process: a config naming what does not exist, or an app module
 * without workers, stops it at boot with one line naming the cause and exit code 1 (rr's service
 * plugin then restarts it). No Temporal server is needed: these fail before connecting.
 */
import { expect } from 'chai';
import { TEMPORAL_APP, TemporalWorkerProcess } from '../temporal-worker-entry.js';
import { ROOT } from '../../../support/process-peer.js';

describe('bridges/temporal bin/temporal-worker (process)', function () {
  this.timeout(120_000);
  const processes: TemporalWorkerProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((worker) => worker.dispose()));
  });

  async function failedBoot(args: string[], env: Record<string, string> = {}): Promise<string> {
    const worker = TemporalWorkerProcess.start(args, env);
    processes.push(worker);
    const { code } = await worker.exited;
    expect(code, worker.stderr).to.equal(1);
    return worker.stderr;
  }

  it('names an activity class the config lists and the module does not export', async () => {
    const stderr = await failedBoot([TEMPORAL_APP], { TEMPORAL_FIXTURE_CONFIG: 'missing-activity.yaml' });
    expect(stderr).to.contain('roadrunner-runtime: temporal: the Temporal worker cannot start:');
    expect(stderr).to.contain(
      'temporal.workers.default.activity[1]: "./greeting-activity.ts#FarewellActivity": ' +
        `${ROOT}/test/fixtures/temporal/greeting-activity.ts has no export "FarewellActivity" (it exports GreetingActivity)`,
    );
  });

  it('names a workflow the module does not export, when it bundles the workflows', async () => {
    const stderr = await failedBoot([TEMPORAL_APP], { TEMPORAL_FIXTURE_CONFIG: 'missing-workflow.yaml' });
    expect(stderr).to.contain('roadrunner-runtime: temporal: the Temporal worker stopped on an error:');
    expect(stderr).to.match(/TemporalExportNotFoundError: temporal\.workers\.default\.workflow\[1\]: "\.\/workflows\.ts#farewellWorkflow": .*workflows\.ts has no export "farewellWorkflow" \(it exports failingWorkflow, greetingWorkflow/);
  });

  it('refuses an app module that does not export the workers', async () => {
    const stderr = await failedBoot([`${ROOT}/test/fixtures/apps/echo-app.ts`]);
    expect(stderr).to.contain('echo-app.ts has no export "temporal"; usage: temporal-worker <app-module>[#export]');
    const named = await failedBoot([`${TEMPORAL_APP}#workers`], { TEMPORAL_FIXTURE_CONFIG: 'missing-workflow.yaml' });
    expect(named).to.contain('temporal-app.ts has no export "workers"');
  });

  it('prints its usage without an app module', async () => {
    expect(await failedBoot([])).to.contain('no app module given; usage: temporal-worker <app-module>[#export]');
  });
});

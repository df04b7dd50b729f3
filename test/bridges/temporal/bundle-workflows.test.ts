/** Workflow bundling with the SDK's real bundler (webpack + swc): the config's references, checked. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type * as WorkerSdk from '@temporalio/worker';
import type { bundleWorkflows as BundleWorkflows } from '../../../src/bridges/temporal/bundle-workflows.js';
import type { resolveModuleReference as ResolveModuleReference } from '../../../src/bridges/temporal/module-reference.js';
import type { TemporalWorkerSettings } from '../../../src/bridges/temporal/index.js';
import { loadTemporalModules, TEMPORAL_FIXTURES, type TemporalModules } from './support.js';

describe('bridges/temporal bundleWorkflows', function () {
  // Each bundle is a webpack build: a second or two, several on a busy machine.
  this.timeout(120_000);
  let modules: TemporalModules;
  let sdk: typeof WorkerSdk;
  let bundleWorkflows: typeof BundleWorkflows;
  let resolveModuleReference: typeof ResolveModuleReference;
  let dir: string;

  before(async () => {
    modules = await loadTemporalModules();
    sdk = await import('@temporalio/worker');
    ({ bundleWorkflows } = await import('../../../src/bridges/temporal/bundle-workflows.js'));
    ({ resolveModuleReference } = await import('../../../src/bridges/temporal/module-reference.js'));
    dir = mkdtempSync(join(tmpdir(), 'rrr-temporal-workflows-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A worker whose `workflow:` list is `references`, resolved as the config resolves them. */
  function worker(references: string[]): TemporalWorkerSettings {
    const workflows = references.map((reference, index) => resolveModuleReference(reference, `temporal.workers.default.workflow[${index}]`, TEMPORAL_FIXTURES));
    return { name: 'default', taskQueue: 'default', workflows, activities: [] };
  }

  async function bundleFailure(references: string[]): Promise<Error> {
    try {
      await bundleWorkflows(sdk, worker(references));
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected bundling to fail');
  }

  it('bundles the workflows of several references into one bundle', async () => {
    writeFileSync(join(dir, 'extra.ts'), "export async function extraWorkflow(): Promise<string> { return 'extra'; }\n");
    const bundle = await bundleWorkflows(sdk, worker(['./workflows.ts#greetingWorkflow', join(dir, 'extra.ts')]));
    expect(bundle.code).to.contain('greetingWorkflow');
    expect(bundle.code).to.contain('extraWorkflow');
  });

  it('names a workflow export the module does not have, with what it does export', async () => {
    const error = await bundleFailure(['./workflows.ts#greetingWorkflow', './workflows.ts#greetingWorkflw']);
    expect(error).to.be.instanceOf(modules.bridge.TemporalExportNotFoundError);
    expect(error.message).to.equal(
      `temporal.workers.default.workflow[1]: "./workflows.ts#greetingWorkflw": ${join(TEMPORAL_FIXTURES, 'workflows.ts')} has no export "greetingWorkflw" ` +
        '(it exports failingWorkflow, greetingWorkflow, nameQuery, nameSignal, signalledGreetingWorkflow, slowGreetingWorkflow)',
    );
  });

  it('reports workflow code that cannot be bundled, naming the worker', async () => {
    writeFileSync(join(dir, 'reads-files.ts'), "import { readFileSync } from 'fs';\nexport async function readsFiles() { return readFileSync('/etc/hostname', 'utf8'); }\n");
    const error = await bundleFailure([join(dir, 'reads-files.ts')]);
    expect(error).to.be.instanceOf(modules.bridge.TemporalWorkflowBundleError);
    expect(error.message).to.match(/^the workflows of Temporal worker "default" could not be bundled: Your Workflow code .* importing the following disallowed modules:\n\s+- 'fs'/);
  });
});

/**
 * Nothing is lost on AMQP (issue 12, "Must show" 2): 10,000 jobs pushed to RabbitMQ through the
 * real rr, handlers failing at random 10% of the time, and jobs worker processes SIGKILLed (at
 * least three, while tasks are in flight). At the end every job id has been handled successfully
 * at least once; the test prints `lost: 0` and how many were handled more than once
 * (at-least-once delivery: a worker killed after its handler ran but before rr got the ack).
 *
 * What makes it hold: the bridge requeues failures (max attempts high enough that 10% failures
 * never exhaust it), and the pipeline sets `requeue_on_fail: true`, so the task of a worker that
 * died goes back to RabbitMQ (rr's default would drop it; see docs/jobs.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Jobs } from '../../src/bridges/jobs/index.js';
import { RpcClient } from '../../src/runtime/rpc/rpc-client.js';
import { jobsYaml, pipelineConfig, readRecords, RecordsTail, requireBroker, uniqueName, waitForStat } from './support/jobs-services.js';
import { isAlive, RrServer } from './support/rr-server.js';

const JOBS = 10_000;
const KILLS = 3;
const BATCH = 500;

async function jobsWorkerPids(rpc: RpcClient): Promise<number[]> {
  const result = (await rpc.call('informer.Workers', 'jobs')) as { workers: Array<{ pid: number }> | null };
  return (result.workers ?? []).map((worker) => worker.pid);
}

describe('jobs bridge under the real rr: nothing lost on AMQP', function () {
  this.timeout(300_000);
  let rr: RrServer;
  let dir: string;

  before(async () => {
    await requireBroker('amqp');
    dir = mkdtempSync(join(tmpdir(), 'rrr-e2e-jobs-noloss-'));
  });
  after(async () => {
    await rr?.stop().catch(() => undefined);
    await rr?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`handles each of ${JOBS.toLocaleString('en')} jobs at least once through random failures and ${KILLS} SIGKILLed workers`, async () => {
    const queue = uniqueName('noloss');
    rr = await RrServer.start({
      app: 'test/fixtures/apps/jobs-bridge-app.ts',
      workers: 1,
      logLevel: 'error',
      env: { JOBS_APP_DIR: dir, JOBS_APP_FAIL_RATE: '0.1', JOBS_APP_MAX_ATTEMPTS: '1000' },
      extraYaml: jobsYaml({
        driver: 'amqp',
        workers: 3,
        consume: ['main'],
        pipelines: { main: { driver: 'amqp', config: pipelineConfig('amqp', queue, { prefetch: 50 }) } },
      }),
    });
    const rpc = new RpcClient({ address: rr.rpcAddress });
    const jobs = new Jobs({ rpc, pipeline: 'main' });
    try {
      // All jobs wait in RabbitMQ first, so the kills below land while they are being consumed.
      await waitForStat(jobs, 'main', (stat) => stat.ready);
      await jobs.pause('main');
      const ids: string[] = [];
      for (let start = 0; start < JOBS; start += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, JOBS - start) }, (_, n) => ({ job: 'chaos', payload: { n: start + n } }));
        ids.push(...(await jobs.pushBatch(batch)));
      }
      expect(new Set(ids).size).to.equal(JOBS);
      await jobs.resume('main');

      // SIGKILL a busy worker each time another tenth of the jobs is done, from the first tenth
      // on, so every kill lands mid-run with tasks in flight (the run takes seconds).
      const killed: number[] = [];
      const tail = new RecordsTail(dir);
      const handled = new Set<string>();
      const deadline = Date.now() + 240_000;
      while (handled.size < JOBS && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        for (const record of tail.next()) if (record.kind === 'handled') handled.add(record.id);
        if (killed.length < KILLS && handled.size >= ((killed.length + 1) * JOBS) / 10) {
          const live = await jobsWorkerPids(rpc);
          const victim = live.find((pid) => !killed.includes(pid) && isAlive(pid));
          if (victim !== undefined) {
            process.kill(victim, 'SIGKILL');
            killed.push(victim);
          }
        }
      }

      const records = readRecords(dir);
      const successes = new Map<string, number>();
      for (const record of records) if (record.kind === 'handled') successes.set(record.id, (successes.get(record.id) ?? 0) + 1);
      const lost = ids.filter((id) => !successes.has(id));
      const duplicates = [...successes.values()].filter((count) => count > 1).length;
      const failures = records.filter((record) => record.kind === 'failed').length;
      const retried = records.filter((record) => record.kind === 'handled' && record.attempt > 1).length;
      console.log(`      jobs: ${JOBS}, workers SIGKILLed: ${killed.length}, random handler failures: ${failures}, handled after a retry: ${retried}`);
      console.log(`      lost: ${lost.length}`);
      console.log(`      duplicates: ${duplicates}`);

      expect(killed, 'workers SIGKILLed while jobs were in flight').to.have.length.of.at.least(KILLS);
      for (const pid of killed) expect(records.some((record) => record.pid === pid), `worker ${pid} handled jobs before it was killed`).to.equal(true);
      expect(retried, 'the random failures were retried').to.be.above(0);
      expect(lost, `job ids never handled (of ${JOBS})`).to.deep.equal([]);
      const pushed = new Set(ids);
      expect(records.filter((record) => !pushed.has(record.id)), 'records of jobs never pushed').to.deep.equal([]);
    } finally {
      await rpc.close();
    }
  });
});

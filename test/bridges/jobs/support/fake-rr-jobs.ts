/**
 * rr's `jobs` RPC service played in-test over the goridge RPC server helper: jobs.v1 protobuf in
 * and out, pipelines in memory, errors worded like rr v2025.1.15's jobs plugin
 * (`rpc_push: jobs_plugin_push: no such pipeline, requested: x`, `empty ID field not allowed`).
 * Unit tests only: test/e2e runs the real rr.
 */
import {
  decodeDeclareRequest,
  decodePipelines,
  decodePushBatchRequest,
  decodePushRequest,
  encodePipelines,
  encodeStats,
  type JobMessage,
} from '../../../../src/bridges/jobs/proto/jobs-v1.js';
import { GoridgeRpcServer, type RpcReply } from '../../../support/goridge-rpc-server.js';

export interface FakePipeline {
  driver: string;
  paused: boolean;
  jobs: JobMessage[];
  options: Record<string, string>;
}

export class FakeRrJobs {
  readonly pipelines = new Map<string, FakePipeline>();
  /** Every job accepted by Push or PushBatch, in order. */
  readonly pushed: JobMessage[] = [];
  /** Error text for the next calls of a method (rr refusing, e.g. a broker down). */
  readonly failures = new Map<string, string>();

  private constructor(readonly server: GoridgeRpcServer) {}

  get address(): string {
    return this.server.address;
  }

  static async start(pipelines: Record<string, string> = { default: 'memory' }): Promise<FakeRrJobs> {
    const fake = new FakeRrJobs(await GoridgeRpcServer.start());
    for (const [name, driver] of Object.entries(pipelines)) fake.pipelines.set(name, { driver, paused: false, jobs: [], options: {} });
    fake.install();
    return fake;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private push(job: JobMessage, op: string): RpcReply | undefined {
    if (job.id === '') return { error: `${op}: empty ID field not allowed` };
    const pipeline = this.pipelines.get(job.options.pipeline);
    if (!pipeline) return { error: `${op}: jobs_plugin_push: no such pipeline, requested: ${job.options.pipeline}` };
    pipeline.jobs.push(job);
    this.pushed.push(job);
    return undefined;
  }

  private install(): void {
    const handle = (method: string, fn: (body: Buffer) => RpcReply) =>
      this.server.handlers.set(method, (request) => {
        const failure = this.failures.get(method);
        return failure === undefined ? fn(request.body) : { error: failure };
      });
    handle('jobs.Push', (body) => this.push(decodePushRequest(body), 'rpc_push') ?? { body: new Uint8Array(0) });
    handle('jobs.PushBatch', (body) => {
      for (const job of decodePushBatchRequest(body)) {
        const refused = this.push(job, 'rpc_push_batch');
        if (refused) return refused;
      }
      return { body: new Uint8Array(0) };
    });
    const toggle = (paused: boolean) => (body: Buffer): RpcReply => {
      for (const name of decodePipelines(body)) {
        const pipeline = this.pipelines.get(name);
        if (!pipeline) return { error: `jobs_plugin_pause: no such pipeline, requested: ${name}` };
        pipeline.paused = paused;
      }
      return { body: new Uint8Array(0) };
    };
    handle('jobs.Pause', toggle(true));
    handle('jobs.Resume', toggle(false));
    handle('jobs.List', () => ({ body: encodePipelines([...this.pipelines.keys()]) }));
    handle('jobs.Declare', (body) => {
      const { name = '', driver = '', ...options } = decodeDeclareRequest(body);
      if (this.pipelines.has(name)) return { error: `rpc_declare_pipeline: pipeline already exists, name: ${name}, driver: ${driver}` };
      this.pipelines.set(name, { driver, paused: false, jobs: [], options });
      return { body: new Uint8Array(0) };
    });
    handle('jobs.Destroy', (body) => {
      const destroyed: string[] = [];
      for (const name of decodePipelines(body)) {
        if (!this.pipelines.delete(name)) return { error: `rpc_destroy_pipeline: no such pipeline, requested: ${name}` };
        destroyed.push(name);
      }
      return { body: encodePipelines(destroyed) };
    });
    handle('jobs.Stat', () => ({
      body: encodeStats(
        [...this.pipelines].map(([name, pipeline]) => ({
          pipeline: name,
          driver: pipeline.driver,
          queue: name,
          active: pipeline.jobs.length,
          delayed: pipeline.jobs.filter((job) => job.options.delay > 0).length,
          reserved: 0,
          ready: !pipeline.paused,
          priority: 10,
        })),
      ),
    }));
  }
}

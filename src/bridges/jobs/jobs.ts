import { randomUUID } from 'node:crypto';
import { RpcConnectionError, RpcError, RpcTimeoutError } from '../../runtime/errors.js';
import { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { sharedRpcClient } from '../../runtime/rpc/shared-rpc-client.js';
import {
  JobEncodeError,
  JobPushError,
  JobsConfigError,
  JobsConnectionError,
  JobsError,
  JobsPipelineNotFoundError,
  JobsRpcError,
} from './errors.js';
import { normalizeHeaders, type JobHeadersInput } from './normalize-headers.js';
import {
  decodePipelines,
  decodeStats,
  encodeDeclareRequest,
  encodePipelines,
  encodePushBatchRequest,
  encodePushRequest,
  jobMessage,
  jobOptions,
  type JobMessage,
  type JobsStatMessage,
} from './proto/jobs-v1.js';

/** Turns a payload into the bytes rr stores. */
export type JobPayloadSerializer = (payload: unknown) => Uint8Array;

/** Options of {@link Jobs}. */
export interface JobsOptions {
  /**
   * The RPC client to call rr through, shared with other code; `close()` leaves it open. Default:
   * one of its own on `address` (dialed at the first call, closed by {@link Jobs.close}).
   */
  rpc?: RpcClient | undefined;
  /** rr's `rpc.listen` for the client's own RpcClient. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string | undefined;
  /** Per-call limit of the client's own RpcClient, in ms. Default the RpcClient's (30 s). */
  timeoutMs?: number | undefined;
  /** The pipeline of pushes that name none. Default: none, every push must name one. */
  pipeline?: string | undefined;
  /**
   * Encodes payloads that are not bytes. Default JSON (`JSON.stringify`, UTF-8): a `Uint8Array`
   * (a Buffer too) is always sent as is.
   */
  serializer?: JobPayloadSerializer | undefined;
}

/** Options of one push. */
export interface PushOptions {
  /** The pipeline (as declared under `jobs.pipelines`). Default: the `Jobs` instance's `pipeline`. */
  pipeline?: string | undefined;
  /** The job id. Default a random UUID. rr refuses an empty one. */
  id?: string | undefined;
  /** Seconds before the job becomes available. Default 0. (NATS refuses delays.) */
  delay?: number | undefined;
  /** Higher first, on drivers with priorities. Default: the pipeline's priority. */
  priority?: number | undefined;
  /** Headers the consumer reads (`event.headers`). */
  headers?: JobHeadersInput | undefined;
  /** The driver acks the job as soon as it is fetched, before a worker ran it: faster, and lost if the worker fails. Default false. */
  autoAck?: boolean | undefined;
  /** Kafka only: topic, metadata, offset and partition of the record. */
  kafka?: { topic?: string | undefined; metadata?: string | undefined; offset?: number | undefined; partition?: number | undefined } | undefined;
}

/** One job of {@link Jobs.pushBatch}. */
export interface BatchJob extends PushOptions {
  /** The job name consumers route on. */
  job: string;
  /** Encoded like {@link Jobs.push}'s payload. */
  payload?: unknown;
}

/** A pipeline to create at run time with {@link Jobs.declare}. */
export interface PipelineDeclaration {
  /** The pipeline's name. */
  name: string;
  /** `memory`, `amqp`, `nats`, `kafka`, `sqs`, `beanstalk`, `boltdb`... */
  driver: string;
  /** Default 10. */
  priority?: number | undefined;
  /** The driver's own options (AMQP `queue`, `exchange`...; memory `prefetch`), as strings or numbers/booleans. */
  [option: string]: string | number | boolean | undefined;
}

/** One pipeline's state, from {@link Jobs.stat}. */
export type JobsStat = JobsStatMessage;

const encoder = new TextEncoder();

/** The default serializer: JSON, so a consumer's `event.json()` gets the same value back. */
export const jsonPayloadSerializer: JobPayloadSerializer = (payload) => {
  const text = JSON.stringify(payload);
  if (text === undefined) throw new TypeError(`${typeof payload} has no JSON form`);
  return encoder.encode(text);
};

/**
 * The producer: pushes jobs to rr's jobs plugin and manages its pipelines, over the RPC client
 * with the `jobs.v1` protobuf messages, as the PHP `Spiral\RoadRunner\Jobs\Jobs` does. Usable
 * anywhere: HTTP handlers, job handlers, CLI scripts. Bound in the container as `JOBS`
 * (`jobsBindings()`).
 *
 * ```ts
 * const jobs = new Jobs({ pipeline: 'emails' });     // RR_RPC inside a worker
 * const id = await jobs.push('mail.send', { to: 'ada@example.com' }, { delay: 60, headers: { tenant: 'acme' } });
 * await jobs.pushBatch([{ job: 'thumb', payload: { file: 'a.png' } }, { job: 'thumb', payload: { file: 'b.png' } }]);
 * await jobs.pause('emails');
 * console.log(await jobs.stat());                   // [{ pipeline: 'emails', driver: 'amqp', active: 2, ... }]
 * ```
 *
 * Constructing it does no I/O. Errors: `JobsPipelineNotFoundError` (rr has no such pipeline),
 * `JobPushError` (rr refused a push: a broker down, NATS and a delay...), `JobsRpcError` (another
 * call failed), `JobsConnectionError` (rr not reachable or too slow), `JobEncodeError` and
 * `JobsConfigError` (refused before sending); all are `JobsError`s.
 */
export class Jobs implements AsyncDisposable {
  /** The RPC client calls go through. */
  readonly rpc: RpcClient;
  /** The pipeline of pushes that name none, if set. */
  readonly pipeline: string | undefined;
  readonly #ownsRpc: boolean;
  readonly #serializer: JobPayloadSerializer;

  constructor(options: JobsOptions = {}) {
    ({ rpc: this.rpc, owned: this.#ownsRpc } = sharedRpcClient(options));
    this.pipeline = options.pipeline;
    this.#serializer = options.serializer ?? jsonPayloadSerializer;
  }

  /**
   * Pushes one job (`jobs.Push`) and resolves with its id once rr accepted it. `payload` is
   * serialized as JSON unless it is a `Uint8Array`.
   */
  async push(job: string, payload?: unknown, options: PushOptions = {}): Promise<string> {
    const message = this.#message({ ...options, job, payload });
    await this.#call('jobs.Push', encodePushRequest(message), { pipeline: message.options.pipeline, job, jobId: message.id });
    return message.id;
  }

  /**
   * Pushes several jobs in one call (`jobs.PushBatch`); `defaults` apply to every job that does not
   * set the option itself. Resolves with the ids, in order. rr stops at the first job it refuses:
   * the ones before it were pushed.
   */
  async pushBatch(jobs: readonly BatchJob[], defaults: PushOptions = {}): Promise<string[]> {
    if (jobs.length === 0) return [];
    const messages = jobs.map((job) => this.#message({ ...defaults, ...definedOnly(job), job: job.job }));
    const pipelines = [...new Set(messages.map((message) => message.options.pipeline))];
    await this.#call('jobs.PushBatch', encodePushBatchRequest(messages), { pipeline: pipelines.length === 1 ? pipelines[0] : undefined });
    return messages.map((message) => message.id);
  }

  /** Stops consuming these pipelines (`jobs.Pause`); pushes are still accepted. */
  async pause(...pipelines: string[]): Promise<void> {
    for (const pipeline of pipelines) await this.#call('jobs.Pause', encodePipelines([checkName(pipeline)]), { pipeline });
  }

  /** Resumes consuming these pipelines (`jobs.Resume`). */
  async resume(...pipelines: string[]): Promise<void> {
    for (const pipeline of pipelines) await this.#call('jobs.Resume', encodePipelines([checkName(pipeline)]), { pipeline });
  }

  /** The names of rr's pipelines (`jobs.List`). */
  async list(): Promise<string[]> {
    return decodeAnswer('jobs.List', await this.#call('jobs.List', new Uint8Array(0)), decodePipelines);
  }

  /** Creates a pipeline at run time (`jobs.Declare`); rr starts consuming it. */
  async declare(pipeline: PipelineDeclaration): Promise<void> {
    const { name, driver, priority, ...driverOptions } = pipeline;
    checkName(name);
    if (typeof driver !== 'string' || driver === '') throw new JobsConfigError('declare.driver', `expected a driver name, got ${JSON.stringify(driver)}`);
    const fields: Record<string, string> = { name, driver, priority: String(priority ?? 10) };
    for (const [key, value] of Object.entries(driverOptions)) if (value !== undefined) fields[key] = String(value);
    await this.#call('jobs.Declare', encodeDeclareRequest(fields), { pipeline: name });
  }

  /** Stops and removes pipelines (`jobs.Destroy`); resolves with the ones rr destroyed. */
  async destroy(...pipelines: string[]): Promise<string[]> {
    pipelines.forEach(checkName);
    const answer = await this.#call('jobs.Destroy', encodePipelines(pipelines), { pipeline: pipelines.length === 1 ? pipelines[0] : undefined });
    return decodeAnswer('jobs.Destroy', answer, decodePipelines);
  }

  /** Every pipeline's state (`jobs.Stat`): driver, queue, active/delayed/reserved counts, ready, priority. */
  async stat(): Promise<JobsStat[]> {
    return decodeAnswer('jobs.Stat', await this.#call('jobs.Stat', new Uint8Array(0)), decodeStats);
  }

  /** Closes the RPC client when this instance made it; a shared one is left open. */
  async close(): Promise<void> {
    if (this.#ownsRpc) await this.rpc.close();
  }

  /** Same as {@link close}: the container calls it when it disposes the producer. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #message(job: BatchJob): JobMessage {
    if (typeof job.job !== 'string' || job.job === '') throw new JobsConfigError('job', `expected a non-empty job name, got ${JSON.stringify(job.job)}`);
    const pipeline = job.pipeline ?? this.pipeline;
    if (pipeline === undefined || pipeline === '') {
      throw new JobsConfigError('pipeline', `job "${job.job}" names no pipeline and the Jobs instance has no default (new Jobs({ pipeline }))`);
    }
    const id = job.id ?? randomUUID();
    if (typeof id !== 'string' || id === '') throw new JobsConfigError('id', `expected a non-empty string, got ${JSON.stringify(id)}`);
    const delay = job.delay ?? 0;
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0) {
      throw new JobsConfigError('delay', `expected a whole number of seconds >= 0, got ${JSON.stringify(delay)}`);
    }
    const priority = job.priority ?? 0;
    if (typeof priority !== 'number' || !Number.isInteger(priority)) throw new JobsConfigError('priority', `expected an integer, got ${JSON.stringify(priority)}`);
    return jobMessage({
      job: job.job,
      id,
      payload: this.#encode(job),
      headers: normalizeHeaders(job.headers, (problem) => new JobsConfigError('headers', problem)),
      options: jobOptions({
        pipeline,
        delay,
        priority,
        autoAck: job.autoAck === true,
        ...definedOnly(job.kafka ?? {}),
      }),
    });
  }

  #encode(job: BatchJob): Uint8Array {
    const { payload } = job;
    if (payload instanceof Uint8Array) return payload;
    if (payload === undefined) return new Uint8Array(0);
    try {
      return this.#serializer(payload);
    } catch (error) {
      throw new JobEncodeError(`the payload cannot be serialized: ${(error as Error).message}`, { job: job.job, cause: error });
    }
  }

  async #call(method: string, body: Uint8Array, details: { pipeline?: string | undefined; job?: string; jobId?: string } = {}): Promise<Uint8Array> {
    try {
      return await this.rpc.callProto(method, body);
    } catch (error) {
      throw jobsErrorOf(method, error, details);
    }
  }
}

const NO_SUCH_PIPELINE = /no such pipeline(?:, requested)?: ?(\S*)/;

/** Maps what the RPC client threw to the jobs error a caller can act on. */
function jobsErrorOf(method: string, error: unknown, details: { pipeline?: string | undefined; job?: string; jobId?: string }): Error {
  if (error instanceof RpcError) {
    const text = error.message.replace(`rr RPC ${method} failed: `, '');
    const missing = NO_SUCH_PIPELINE.exec(text);
    if (missing) return new JobsPipelineNotFoundError(missing[1] || details.pipeline || '', method, error);
    const what = details.pipeline === undefined ? '' : ` (pipeline "${details.pipeline}")`;
    if (method === 'jobs.Push' || method === 'jobs.PushBatch') return new JobPushError(`rr refused ${method}${what}: ${text}`, { ...details, method, cause: error });
    return new JobsRpcError(`rr ${method}${what} failed: ${text}`, { ...details, method, cause: error });
  }
  if (error instanceof RpcConnectionError || error instanceof RpcTimeoutError) return new JobsConnectionError(method, error);
  return error instanceof Error ? error : new JobsError('ERR_JOBS_RPC', `rr ${method} failed: ${String(error)}`, { method, cause: error });
}

function decodeAnswer<T>(method: string, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw new JobsRpcError(`rr ${method} answered with bytes that are not a jobs.v1 message`, { method, cause: error }, 'ERR_JOBS_PROTOCOL');
  }
}

function checkName(pipeline: string): string {
  if (typeof pipeline !== 'string' || pipeline === '') throw new JobsConfigError('pipeline', `expected a non-empty pipeline name, got ${JSON.stringify(pipeline)}`);
  return pipeline;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

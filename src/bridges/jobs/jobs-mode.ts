import { bootFailed } from '../../runtime/app/boot-failure.js';
import { answerJobsUnavailable, UNAVAILABLE_RETRY_SECONDS } from './answer-jobs-unavailable.js';
import { describeId, type AbstractNewable, type Container, type RequestScope } from '../../container/index.js';
import type { ModeContext, ModeFactory, ModeWorker } from '../../runtime/app/define-app.js';
import { scopedMode } from '../../runtime/app/scoped-mode.js';
import type { ListenerClass } from '../../runtime/events/as-event-listener.js';
import { EventDispatcher } from '../../runtime/events/event-dispatcher.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { decodeTask, type ReceivedTask } from './decode-task.js';
import { addJobsListeners, dispatchJobsRunEvent, isThenable } from './dispatch-jobs-run-event.js';
import { JobDecodeError, JobHandlerError, JobsConfigError, PermanentJobError, UnhandledJobError } from './errors.js';
import { encodeJobReply, type JobReply } from './job-reply.js';
import { JobRouter } from './job-router.js';
import { Jobs } from './jobs.js';
import { JobsRunEvent, type ExplicitOutcome } from './jobs-run-event.js';
import type { JobHeaders } from './proto/jobs-v1.js';
import { ATTEMPTS_HEADER, RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
import { TaskContextScanner } from './task-context-scanner.js';
import { JOBS_RUN_EVENT } from './tokens.js';

/** Options of {@link jobsMode}. Options given here win over the runtime config's `jobs:` keys. */
export interface JobsModeOptions {
  /** The application's container: handlers and listeners are resolved from each task's scope. */
  container: Container;
  /** Classes with `@JobHandler`, registered in the container. A job name has at most one handler. */
  handlers?: readonly AbstractNewable[] | undefined;
  /** Classes with `@AsEventListener({ event: JobsRunEvent })`, registered in the container. */
  listeners?: readonly ListenerClass[] | undefined;
  /** The dispatcher `JobsRunEvent` goes through (listeners added with `addListener` count too). Default: one of its own. */
  events?: EventDispatcher | undefined;
  /** `jobs.retry` of the runtime config, camelCased; fields given here win over it. */
  retry?: Partial<RetryPolicyOptions> | undefined;
  /** `jobs.dead_letter_pipeline` of the runtime config; `null` here turns it off even when the config sets one. */
  deadLetterPipeline?: string | null | undefined;
  /**
   * The producer used to dead-letter tasks and to retry on drivers whose requeue drops headers
   * (NATS). Default: one on `RR_RPC`, made when first needed and closed when the worker stops.
   */
  producer?: Jobs | undefined;
}

/**
 * Drivers whose REQUEUE loses the task's headers (rr v2025.1.15's NATS driver republishes the body
 * without them), so the attempt count could not survive: on these the worker pushes a copy with
 * the new headers through RPC and acks the original. Their requeue cannot be delayed either.
 */
const REQUEUE_DROPS_HEADERS: ReadonlySet<string> = new Set(['nats']);
/** Error text kept in the dead-letter headers; brokers limit header sizes. */
const MAX_ERROR_HEADER = 2000;

/**
 * The `RR_MODE=jobs` worker. Every task rr hands it:
 *
 * 1. is decoded (`decodeTask`) into a {@link JobsRunEvent}, in a scope of its own (bound as
 *    `JOBS_RUN_EVENT` when the container declares it);
 * 2. goes to the `JobsRunEvent` listeners, then (unless one stopped propagation or decided an
 *    outcome) to the `@JobHandler` of its job name, its payload checked against the handler's schema;
 * 3. is answered: acked when they return, per their explicit `ack()`/`nack()`/`requeue()`, and when
 *    they throw, requeued with the attempt count in the `x-rr-attempts` header and a backoff delay
 *    until the retry policy's attempts are used up, then copied to the dead-letter pipeline (or
 *    nacked without requeue). A `PermanentJobError` (a payload its schema rejects...) skips the
 *    retries; a task no listener or handler takes is logged and follows the same policy.
 * 4. then the declared `Resettable` services are reset and the scope is disposed.
 *
 * The reply is never empty or malformed (rr would ack it): a task whose context cannot be decoded
 * is dead-lettered or nacked, and a worker that cannot boot answers every task with a delayed
 * requeue (logged once) instead of losing it. Failures are reported (`WorkerErrorEvent`, Sentry).
 */
export function jobsMode(options: JobsModeOptions): ModeFactory {
  return async (context) => {
    let runner: TaskRunner;
    let scoped: ModeWorker;
    try {
      runner = new TaskRunner(context, options);
      scoped = scopedMode(context, {
        container: options.container,
        handle: (unit, scope) => runner.run(unit, scope),
        shutdown: () => runner.close(),
      });
    } catch (error) {
      await context.reportError(error);
      return bootFailed(error, { mode: context.mode, logError: context.logError, answer: answerJobsUnavailable });
    }
    return scoped;
  };
}

/** What {@link jobsMode} does per task; built once per worker. */
class TaskRunner {
  readonly #context: ModeContext;
  readonly #router: JobRouter;
  readonly #events: EventDispatcher;
  readonly #retry: RetryPolicy;
  readonly #deadLetterPipeline: string | null;
  readonly #provideEvent: boolean;
  readonly #givenProducer: Jobs | undefined;
  readonly #scanner = new TaskContextScanner();
  #ownProducer: Jobs | undefined;

  constructor(context: ModeContext, options: JobsModeOptions) {
    const { container } = options;
    this.#context = context;
    // The runtime config (roadrunner.yaml merged with defineApp({ config }), defaults applied);
    // options in code win key by key.
    const config = context.config.jobs;
    this.#retry = new RetryPolicy({
      maxAttempts: config.retry.max_attempts,
      delay: config.retry.delay,
      multiplier: config.retry.multiplier,
      maxDelay: config.retry.max_delay,
      ...definedOnly(options.retry ?? {}),
    });
    const deadLetter = options.deadLetterPipeline === undefined ? config.dead_letter_pipeline : options.deadLetterPipeline;
    if (deadLetter !== null && (typeof deadLetter !== 'string' || deadLetter === '')) {
      throw new JobsConfigError('deadLetterPipeline', `expected a pipeline name or null, got ${JSON.stringify(deadLetter)}`);
    }
    this.#deadLetterPipeline = deadLetter;
    this.#router = new JobRouter(options.handlers ?? [], container);
    this.#events = options.events ?? new EventDispatcher();
    const listeners = options.listeners ?? [];
    for (const listener of listeners) {
      if (!container.has(listener)) {
        throw new JobHandlerError(`jobs listener ${describeId(listener)} is not registered in the container: add it to createContainer({ services })`);
      }
    }
    addJobsListeners(this.#events, listeners);
    this.#provideEvent = container.has(JOBS_RUN_EVENT);
    this.#givenProducer = options.producer;
  }

  // The hot path is synchronous until a listener or handler returns a promise: a promise per step
  // is what a task would otherwise cost most (with AsyncLocalStorage active, each one runs hooks).
  run(unit: UnitOfWork, scope: RequestScope): Promise<void> {
    let reply: JobReply | Promise<JobReply>;
    try {
      reply = this.#serve(unit, scope);
    } catch (error) {
      reply = this.#internalFailure(error);
    }
    if (!isThenable(reply)) return unit.respond(encodeJobReply(reply));
    return reply.then(
      (settled) => unit.respond(encodeJobReply(settled)),
      async (error: unknown) => unit.respond(encodeJobReply(await this.#internalFailure(error))),
    );
  }

  /** A bug of this bridge, not of the app: the task must not be lost (an ERROR frame would nack it, and rr's memory driver drops a nacked task). */
  async #internalFailure(error: unknown): Promise<JobReply> {
    this.#context.log(`roadrunner-runtime: the jobs worker failed while answering a task; it is requeued in ${UNAVAILABLE_RETRY_SECONDS} s: ${describe(error)}`);
    await this.#context.reportError(error);
    return { type: 'nack', message: 'the jobs worker failed', requeue: true, delaySeconds: UNAVAILABLE_RETRY_SECONDS };
  }

  async close(): Promise<void> {
    await this.#ownProducer?.close();
  }

  #serve(unit: UnitOfWork, scope: RequestScope): JobReply | Promise<JobReply> {
    let task: ReceivedTask;
    try {
      task = this.#scanner.scan(unit.context, unit.body) ?? decodeTask(unit.context, unit.body);
    } catch (error) {
      if (!(error instanceof JobDecodeError)) throw error;
      return this.#undecodable(error, unit);
    }
    const failedBefore = this.#retry.failedAttempts(task.headers);
    const event = new JobsRunEvent(task, scope, failedBefore + 1);
    if (this.#provideEvent) scope.provide(JOBS_RUN_EVENT, event);

    let processing: void | Promise<void>;
    try {
      processing = this.#process(event);
    } catch (error) {
      return this.#threw(event, error, failedBefore);
    }
    if (isThenable(processing)) {
      return processing.then(
        () => this.#returned(event),
        (error: unknown) => this.#threw(event, error, failedBefore),
      );
    }
    return this.#returned(event);
  }

  /** Listeners, then the routed handler (unless one stopped propagation or decided). Synchronous while they are. */
  #process(event: JobsRunEvent): void | Promise<void> {
    const listened = this.#events.hasListeners(JobsRunEvent);
    if (!listened && !this.#router.has(event.name)) {
      throw new UnhandledJobError({ jobId: event.id, job: event.name, pipeline: event.pipeline, known: this.#router.jobs });
    }
    if (listened) {
      const dispatching = dispatchJobsRunEvent(this.#events, event);
      if (isThenable(dispatching)) return dispatching.then(() => this.#route(event));
    }
    return this.#route(event);
  }

  #route(event: JobsRunEvent): void | Promise<void> {
    if (event.isPropagationStopped || event.outcome !== undefined) return;
    return this.#router.dispatch(event);
  }

  #returned(event: JobsRunEvent): JobReply | Promise<JobReply> {
    return event.outcome === undefined ? ACK : this.#explicit(event.task, event.outcome);
  }

  async #threw(event: JobsRunEvent, error: unknown, failedBefore: number): Promise<JobReply> {
    const { task, outcome } = event;
    if (outcome === undefined) return this.#failed(task, error, failedBefore);
    this.#context.log(`roadrunner-runtime: ${describeTask(task)} threw after it was ${outcome.kind === 'ack' ? 'acked' : `${outcome.kind}ed`}; that outcome stands: ${describe(error)}`);
    await this.#context.reportError(error);
    return this.#explicit(task, outcome);
  }

  #explicit(task: ReceivedTask, outcome: ExplicitOutcome): JobReply | Promise<JobReply> {
    switch (outcome.kind) {
      case 'ack':
        return ACK;
      case 'nack':
        return { type: 'nack', message: outcome.message, requeue: outcome.requeue, delaySeconds: outcome.delaySeconds };
      case 'requeue':
        return this.#requeue(task, outcome.delaySeconds, outcome.headers, outcome.message);
    }
  }

  /** The failure policy: retry with backoff while attempts remain, then dead-letter (or nack). */
  async #failed(task: ReceivedTask, error: unknown, failedBefore: number): Promise<JobReply> {
    const permanent = error instanceof PermanentJobError;
    const decision = permanent ? { retry: false as const, attempts: failedBefore + 1 } : this.#retry.afterFailure(failedBefore);
    const attempt = `attempt ${decision.attempts} of ${this.#retry.maxAttempts}`;
    const next = decision.retry ? `retried in ${decision.delaySeconds} s` : `${permanent ? 'a permanent failure' : 'no attempts left'}, ${this.#whereFailedGoes(task)}`;
    this.#context.log(`roadrunner-runtime: ${describeTask(task)} failed (${attempt}; ${next}): ${describe(error)}`);
    await this.#context.reportError(error);
    if (decision.retry) {
      return this.#requeue(task, decision.delaySeconds, { [ATTEMPTS_HEADER]: [String(decision.attempts)] }, errorText(error));
    }
    return this.#deadLetter(task, error, decision.attempts);
  }

  /** A requeue that keeps the headers on every driver (see {@link REQUEUE_DROPS_HEADERS}). */
  async #requeue(task: ReceivedTask, delaySeconds: number, headers: JobHeaders, message: string): Promise<JobReply> {
    if (!REQUEUE_DROPS_HEADERS.has(task.driver)) return { type: 'requeue', message, delaySeconds, headers };
    try {
      await this.#producer().push(task.job, task.payload, { pipeline: task.pipeline, id: task.id, headers: { ...task.headers, ...headers } });
      return ACK;
    } catch (error) {
      // The copy did not make it: let the driver redeliver the original (without the new headers).
      this.#context.log(`roadrunner-runtime: ${describeTask(task)}: pushing its retry copy failed, the driver redelivers it instead: ${describe(error)}`);
      await this.#context.reportError(error);
      return { type: 'nack', message, requeue: true, delaySeconds };
    }
  }

  async #deadLetter(task: ReceivedTask, error: unknown, attempts: number): Promise<JobReply> {
    const pipeline = this.#deadLetterPipeline;
    // A task failing in the dead-letter pipeline itself goes no further: a copy would fail the same way, forever.
    if (pipeline === null || task.pipeline === pipeline) return { type: 'nack', message: errorText(error), requeue: false, delaySeconds: 0 };
    try {
      await this.#producer().push(task.job, task.payload, {
        pipeline,
        id: task.id,
        headers: {
          ...task.headers,
          [ATTEMPTS_HEADER]: String(attempts),
          'x-rr-error': errorText(error).slice(0, MAX_ERROR_HEADER),
          'x-rr-failed-pipeline': task.pipeline,
          'x-rr-failed-at': new Date().toISOString(),
        },
      });
      return ACK;
    } catch (pushError) {
      // Never drop a task because the dead-letter pipeline is unreachable: it comes back later.
      const delaySeconds = Math.max(this.#retry.delay, 1);
      this.#context.log(`roadrunner-runtime: ${describeTask(task)}: the dead-letter pipeline "${pipeline}" refused it; requeued in ${delaySeconds} s: ${describe(pushError)}`);
      await this.#context.reportError(pushError);
      return { type: 'nack', message: errorText(error), requeue: true, delaySeconds };
    }
  }

  /** A task whose context is not rr's: a permanent failure, dead-lettered with whatever could be read. */
  async #undecodable(error: JobDecodeError, unit: UnitOfWork): Promise<JobReply> {
    const task: ReceivedTask = {
      id: error.jobId ?? `undecodable-${Date.now()}`,
      job: error.job ?? 'unknown',
      pipeline: 'unknown',
      driver: 'unknown',
      queue: undefined,
      headers: {},
      topic: undefined,
      partition: undefined,
      offset: undefined,
      payload: unit.body,
    };
    this.#context.log(`roadrunner-runtime: a jobs task (id ${error.jobId ?? '?'}) could not be decoded, ${this.#whereFailedGoes(task)}: ${error.message}`);
    await this.#context.reportError(error);
    return this.#deadLetter(task, error, 1);
  }

  #whereFailedGoes(task: ReceivedTask): string {
    const pipeline = this.#deadLetterPipeline;
    if (pipeline === null) return 'nacked without requeue';
    if (task.pipeline === pipeline) return 'nacked without requeue (it is in the dead-letter pipeline already)';
    return `moved to the dead-letter pipeline "${pipeline}"`;
  }

  #producer(): Jobs {
    if (this.#givenProducer) return this.#givenProducer;
    return (this.#ownProducer ??= new Jobs({ address: this.#context.env['RR_RPC'] }));
  }
}

const ACK: JobReply = { type: 'ack' };

function describeTask(task: ReceivedTask): string {
  return `job "${task.job}" (id ${task.id}, pipeline ${task.pipeline}, driver ${task.driver})`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

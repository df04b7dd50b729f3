import type { RequestScope } from '../../container/index.js';
import { StoppableEvent } from '../../runtime/events/stoppable-event.js';
import type { ReceivedTask } from './decode-task.js';
import { JobAlreadyAnsweredError, JobOutcomeError, JobPayloadError } from './errors.js';
import { normalizeHeaders, type JobHeadersInput } from './normalize-headers.js';
import type { JobHeaders } from './proto/jobs-v1.js';
import { utf8Text } from './utf8-text.js';

/** Options of {@link JobsRunEvent.nack}. */
export interface NackOptions {
  /** Give the task back to the queue (the driver redelivers it). Default `false`: the task is dropped (AMQP: dead-lettered by RabbitMQ when the queue has a DLX). */
  requeue?: boolean | undefined;
  /** Seconds before a requeued task is delivered again. Default 0. */
  delay?: number | undefined;
}

/** Options of {@link JobsRunEvent.requeue}. */
export interface RequeueOptions {
  /** Seconds before the task is delivered again. Default 0. (NATS cannot delay: it is requeued at once.) */
  delay?: number | undefined;
  /** Headers merged into the task's headers (same name: replaced). */
  headers?: JobHeadersInput | undefined;
  /** Why, for rr's log. */
  message?: string | undefined;
}

/** The outcome a listener or handler chose explicitly; the worker turns it into rr's reply. */
export type ExplicitOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'nack'; readonly message: string; readonly requeue: boolean; readonly delaySeconds: number }
  | { readonly kind: 'requeue'; readonly message: string; readonly delaySeconds: number; readonly headers: JobHeaders };

/**
 * Dispatched for every task rr gives a `RR_MODE=jobs` worker, in the task's own scope, as the
 * Symfony bundle's `JobsRunEvent`. Listeners (`@AsEventListener({ event: JobsRunEvent })`) and job
 * handlers read the task from it and may decide its outcome:
 *
 * - return normally: the task is **acked**;
 * - throw: the task is **requeued** per the retry policy, then dead-lettered (or nacked) once its
 *   attempts are used up; a `PermanentJobError` (a payload its schema rejects, for one) skips the retries;
 * - {@link ack}, {@link nack} or {@link requeue}: exactly that, whatever happens next.
 *
 * The payload is available as bytes ({@link payload}), text ({@link text}) and parsed JSON
 * ({@link json}); the rest of rr's context as properties.
 */
export class JobsRunEvent extends StoppableEvent {
  /** The task as rr sent it. */
  readonly task: ReceivedTask;
  /** The task's scope: request-scoped services resolved here live as long as the task. */
  readonly scope: RequestScope;
  /** Which attempt this is, from 1: failed attempts so far (the `x-rr-attempts` header) + 1. */
  readonly attempt: number;

  #text: string | undefined;
  #json: { value: unknown } | undefined;
  #outcome: ExplicitOutcome | undefined;

  constructor(task: ReceivedTask, scope: RequestScope, attempt = 1) {
    super();
    this.task = task;
    this.scope = scope;
    this.attempt = attempt;
  }

  /** The job's id. */
  get id(): string {
    return this.task.id;
  }

  /** The job name (handlers are routed by it). */
  get name(): string {
    return this.task.job;
  }

  get pipeline(): string {
    return this.task.pipeline;
  }

  get driver(): string {
    return this.task.driver;
  }

  /** The queue (AMQP queue, NATS stream...); undefined for the memory driver. */
  get queue(): string | undefined {
    return this.task.queue;
  }

  /** The task's headers (`{}` when rr sent none). */
  get headers(): Readonly<JobHeaders> {
    return this.task.headers;
  }

  /** The first value of a header, or undefined. */
  header(name: string): string | undefined {
    return this.task.headers[name]?.[0];
  }

  /** Kafka: topic, partition and offset of the record; undefined for other drivers. */
  get kafka(): { readonly topic: string | undefined; readonly partition: number | undefined; readonly offset: number | undefined } | undefined {
    const { topic, partition, offset } = this.task;
    return topic === undefined && partition === undefined && offset === undefined ? undefined : { topic, partition, offset };
  }

  /** The payload bytes, as pushed. A view into rr's frame: copy it to keep it after the task. */
  get payload(): Uint8Array {
    return this.task.payload;
  }

  /** The payload decoded as UTF-8 (invalid sequences become U+FFFD). */
  get text(): string {
    return (this.#text ??= utf8Text(this.task.payload));
  }

  /**
   * The payload parsed as JSON (once; later calls return the same value).
   *
   * @throws JobPayloadError when it is not JSON: a permanent failure, the task is not retried.
   */
  json<T = unknown>(): T {
    if (!this.#json) {
      try {
        this.#json = { value: JSON.parse(this.text) };
      } catch {
        // Not V8's message (nor the error as cause): it quotes the payload, which may be personal data.
        throw new JobPayloadError([{ path: '', message: `not JSON (${this.task.payload.length} bytes)` }], this.#details());
      }
    }
    return this.#json.value as T;
  }

  /** The outcome chosen with {@link ack}, {@link nack} or {@link requeue}, if any. */
  get outcome(): ExplicitOutcome | undefined {
    return this.#outcome;
  }

  /** Acknowledges the task: done, rr removes it. (Returning normally does the same.) */
  ack(): void {
    this.#decide('ack', { kind: 'ack' });
  }

  /**
   * Negatively acknowledges the task (rr's NACK): dropped, or given back to the queue with
   * `requeue: true`. Not dead-lettered by this bridge; throw a `PermanentJobError` for that.
   *
   * @throws JobOutcomeError for a delay that is not a number >= 0; JobAlreadyAnsweredError after another decision.
   */
  nack(message: string | Error = '', options: NackOptions = {}): void {
    const delaySeconds = checkDelay('nack', options.delay);
    const text = message instanceof Error ? `${message.name}: ${message.message}` : String(message);
    this.#decide('nack', { kind: 'nack', message: text, requeue: options.requeue === true, delaySeconds });
  }

  /**
   * Puts the task back in its queue (rr's REQUEUE), after `delay` seconds, with `headers` merged in.
   * Not counted as a failed attempt.
   *
   * @throws JobOutcomeError for a bad delay or headers; JobAlreadyAnsweredError after another decision.
   */
  requeue(options: RequeueOptions = {}): void {
    const delaySeconds = checkDelay('requeue', options.delay);
    const headers = normalizeHeaders(options.headers, (problem) => new JobOutcomeError(`requeue: ${problem}`, this.#details()));
    this.#decide('requeue', { kind: 'requeue', message: options.message ?? '', delaySeconds, headers });
  }

  #decide(action: string, outcome: ExplicitOutcome): void {
    if (this.#outcome) throw new JobAlreadyAnsweredError(action, PAST[this.#outcome.kind], this.#details());
    this.#outcome = outcome;
  }

  #details() {
    return { jobId: this.task.id, job: this.task.job, pipeline: this.task.pipeline };
  }
}

const PAST = { ack: 'acked', nack: 'nacked', requeue: 'requeued' } as const;

function checkDelay(action: string, delay: unknown): number {
  if (delay === undefined) return 0;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
    throw new JobOutcomeError(`${action}: delay must be a number of seconds >= 0, got ${typeof delay === 'number' ? delay : typeof delay}`);
  }
  return delay;
}

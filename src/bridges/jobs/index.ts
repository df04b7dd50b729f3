/**
 * rr's jobs plugin from Node: consume tasks in a `RR_MODE=jobs` worker (one scope and one reset
 * per task, handlers routed by job name, payloads checked with zod, retries with backoff and a
 * dead-letter pipeline), and produce them from anywhere with `Jobs` (push, pushBatch and the
 * pipeline calls) over rr's RPC.
 *
 * ```ts
 * import { z } from 'zod';
 * import { AsEventListener, createContainer, defineApp, httpMode, Inject, Service } from 'roadrunner-runtime';
 * import { JOBS, JobHandler, jobsBindings, jobsMode, JobsRunEvent, jobsRunEventBinding, type Jobs } from 'roadrunner-runtime/jobs';
 *
 * @JobHandler({ job: 'mail.send', schema: z.object({ to: z.email(), subject: z.string() }) })
 * @Service({ scope: 'request' })                     // one instance per task
 * class SendMail {
 *   constructor(@Inject(Mailer) private readonly mailer: Mailer) {}
 *   async handle(mail: { to: string; subject: string }, event: JobsRunEvent) {
 *     await this.mailer.send(mail, { idempotencyKey: event.id }); // returning acks; throwing retries
 *   }
 * }
 *
 * @AsEventListener({ event: JobsRunEvent })           // sees every task, as the Symfony bundle's listeners do
 * @Service()
 * class JobLog {
 *   onJobsRunEvent(event: JobsRunEvent) { console.info(`job ${event.name} ${event.id}, attempt ${event.attempt}`); }
 * }
 *
 * const container = createContainer({
 *   services: [SendMail, JobLog, Mailer],
 *   bindings: [jobsRunEventBinding, ...jobsBindings({ pipeline: 'emails' })],
 * });
 *
 * // Anywhere (an HTTP handler, another job): container.get(JOBS) or @Inject(JOBS)
 * await container.get(JOBS).push('mail.send', { to: 'ada@example.com', subject: 'hi' }, { delay: 10 });
 *
 * export default defineApp({
 *   modes: {
 *     http: httpMode({ container }),
 *     jobs: jobsMode({ container, handlers: [SendMail], listeners: [JobLog], retry: { maxAttempts: 5 }, deadLetterPipeline: 'failed' }),
 *   },
 * });
 * ```
 *
 * Outcomes: returning acks; throwing requeues with backoff (`x-rr-attempts` counts), then
 * dead-letters (the error in `x-rr-error`) or nacks; `event.ack()`, `event.nack(message, { requeue,
 * delay })` and `event.requeue({ delay, headers })` decide explicitly. See docs/jobs.md for what each
 * driver does with a task whose worker dies mid-task.
 *
 * @module
 */
export { jobsMode, type JobsModeOptions } from './jobs-mode.js';
export { JobsRunEvent, type ExplicitOutcome, type NackOptions, type RequeueOptions } from './jobs-run-event.js';
export { JobHandler, getJobHandlerMetadata, type JobHandlerMetadata, type JobHandlerOptions, type JobPayloadKind } from './job-handler.js';
export { JobRouter } from './job-router.js';
export { ATTEMPTS_HEADER, DEFAULT_RETRY_POLICY, RetryPolicy, type RetryDecision, type RetryPolicyOptions } from './retry-policy.js';
export {
  Jobs,
  jsonPayloadSerializer,
  type BatchJob,
  type JobPayloadSerializer,
  type JobsOptions,
  type JobsStat,
  type PipelineDeclaration,
  type PushOptions,
} from './jobs.js';
export { JOBS, JOBS_RUN_EVENT, jobsBindings, jobsRunEventBinding } from './tokens.js';
export { decodeTask, type ReceivedTask } from './decode-task.js';
export { encodeJobReply, JobReplyType, wholeSeconds, type JobReply } from './job-reply.js';
export type { JobHeadersInput } from './normalize-headers.js';
export {
  decodeDeclareRequest,
  decodePipelines,
  decodePushBatchRequest,
  decodePushRequest,
  decodeStats,
  encodeDeclareRequest,
  encodePipelines,
  encodePushBatchRequest,
  encodePushRequest,
  encodeStats,
  jobMessage,
  jobOptions,
  type JobHeaders,
  type JobMessage,
  type JobOptionsMessage,
  type JobsStatMessage,
} from './proto/jobs-v1.js';
export {
  JobAlreadyAnsweredError,
  JobDecodeError,
  JobEncodeError,
  JobHandlerError,
  JobOutcomeError,
  JobPayloadError,
  JobPushError,
  JobsConfigError,
  JobsConnectionError,
  JobsError,
  JobsPipelineNotFoundError,
  JobsRpcError,
  PermanentJobError,
  UnhandledJobError,
  type JobPayloadIssue,
  type JobsErrorDetails,
} from './errors.js';

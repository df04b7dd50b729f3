/**
 * Every error the jobs bridge throws on purpose. `instanceof JobsError` catches all of them:
 * consuming (a task rr sent that cannot be decoded, a payload a handler's schema rejects, a task no
 * one handles), declaring (a handler or an option that is wrong) and producing (rr refusing a push,
 * an unknown pipeline, rr out of reach).
 */
import { RuntimeError } from '../../runtime/errors.js';

/** Where a jobs error happened, when it is known. */
export interface JobsErrorDetails {
  /** The job's id. */
  jobId?: string | undefined;
  /** The job's name (what handlers are routed by). */
  job?: string | undefined;
  /** The pipeline. */
  pipeline?: string | undefined;
  /** The rr RPC method, e.g. `jobs.Push`. */
  method?: string | undefined;
  cause?: unknown;
}

/** Base class of the jobs bridge's errors. */
export class JobsError extends RuntimeError {
  readonly jobId: string | undefined;
  readonly job: string | undefined;
  readonly pipeline: string | undefined;
  readonly method: string | undefined;

  constructor(code: string, message: string, details: JobsErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.jobId = details.jobId;
    this.job = details.job;
    this.pipeline = details.pipeline;
    this.method = details.method;
  }
}

/**
 * A task rr sent whose context is not what rr's jobs plugin writes: not JSON, not an object, or a
 * field of the wrong type. `field` names it (`''` when the whole context is wrong). The worker
 * answers such a task like a permanent failure (dead-letter pipeline, else nack without requeue),
 * never with an empty or malformed reply.
 */
export class JobDecodeError extends JobsError {
  /** The context key that is wrong, e.g. `headers`; `''` for the context as a whole. */
  readonly field: string;

  constructor(field: string, problem: string, details: JobsErrorDetails = {}) {
    super('ERR_JOB_DECODE', `malformed jobs task context${field === '' ? '' : ` (key "${field}")`}: ${problem}`, details);
    this.field = field;
  }
}

/**
 * A failure that retrying cannot fix: the task is not requeued but dead-lettered (when a
 * dead-letter pipeline is configured) or nacked without requeue. Throw it (or a subclass) from a
 * handler for a task that is wrong in itself, e.g. an order that no longer exists.
 */
export class PermanentJobError extends JobsError {
  constructor(message: string, details: JobsErrorDetails = {}, code = 'ERR_JOB_PERMANENT') {
    super(code, message, details);
  }
}

/** One reason a payload failed its schema: where, and what was expected (never the value itself). */
export interface JobPayloadIssue {
  /** Path inside the payload, e.g. `items.0.sku`; `''` for the payload as a whole. */
  path: string;
  message: string;
}

/**
 * A payload its handler's schema rejects (or that is not JSON while the schema expects JSON): a
 * permanent failure, never retried. The message lists where and why, not the values, which may be
 * personal data.
 */
export class JobPayloadError extends PermanentJobError {
  readonly issues: readonly JobPayloadIssue[];

  constructor(issues: readonly JobPayloadIssue[], details: JobsErrorDetails = {}) {
    const listed = issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
    super(`the payload of job "${details.job ?? '?'}" (id ${details.jobId ?? '?'}) was rejected by its schema: ${listed}`, details, 'ERR_JOB_PAYLOAD');
    this.issues = issues;
  }
}

/**
 * No `JobsRunEvent` listener and no job handler took the task. Not permanent: during a rolling
 * deploy an older worker may receive a job only newer ones know, so the retry policy applies.
 */
export class UnhandledJobError extends JobsError {
  constructor(details: JobsErrorDetails & { known: readonly string[] }) {
    const known = details.known.length === 0 ? 'none are registered' : `registered: ${details.known.map((name) => JSON.stringify(name)).join(', ')}`;
    super(
      'ERR_JOB_UNHANDLED',
      `no JobsRunEvent listener and no job handler for job "${details.job ?? ''}" (id ${details.jobId ?? '?'}, pipeline ${details.pipeline ?? '?'}); ${known}`,
      details,
    );
  }
}

/** `ack()`, `nack()` or `requeue()` was called wrongly: a delay that is not a number of seconds, headers that are not strings. */
export class JobOutcomeError extends JobsError {
  constructor(message: string, details: JobsErrorDetails = {}, code = 'ERR_JOB_OUTCOME') {
    super(code, message, details);
  }
}

/** `ack()`, `nack()` or `requeue()` was called on a task whose outcome was already decided. */
export class JobAlreadyAnsweredError extends JobOutcomeError {
  constructor(attempted: string, decided: string, details: JobsErrorDetails = {}) {
    super(`cannot ${attempted} job "${details.job ?? ''}" (id ${details.jobId ?? '?'}): it was already ${decided}`, details, 'ERR_JOB_ALREADY_ANSWERED');
  }
}

/** A job handler or listener is declared wrongly: no such method, a schema that is not a zod schema, two handlers for one job name. */
export class JobHandlerError extends JobsError {
  constructor(message: string, details: JobsErrorDetails = {}) {
    super('ERR_JOB_HANDLER', message, details);
  }
}

/** An option of `jobsMode`, the retry policy or the producer is invalid; `key` names it. */
export class JobsConfigError extends JobsError {
  readonly key: string;

  constructor(key: string, problem: string) {
    super('ERR_JOBS_CONFIG', `invalid jobs option ${key}: ${problem}`);
    this.key = key;
  }
}

/** A payload the producer cannot serialize (a BigInt, a cycle...): caught before anything is sent. */
export class JobEncodeError extends JobsError {
  constructor(problem: string, details: JobsErrorDetails = {}) {
    super('ERR_JOB_ENCODE', `cannot push job "${details.job ?? ''}": ${problem}`, details);
  }
}

/**
 * rr answered a `jobs.*` RPC call with an error other than an unknown pipeline (a driver that
 * refused the message, a broker that is down, an empty id...). `method` says which call.
 */
export class JobsRpcError extends JobsError {
  constructor(message: string, details: JobsErrorDetails = {}, code = 'ERR_JOBS_RPC') {
    super(code, message, details);
  }
}

/** rr refused to accept a job (`jobs.Push` or `jobs.PushBatch` answered with an error). */
export class JobPushError extends JobsRpcError {
  constructor(message: string, details: JobsErrorDetails = {}) {
    super(message, details, 'ERR_JOB_PUSH');
  }
}

/** rr has no pipeline by that name (`no such pipeline`): declare it under `jobs.pipelines` or with `declare()`. */
export class JobsPipelineNotFoundError extends JobsRpcError {
  declare readonly pipeline: string;

  constructor(pipeline: string, method: string, cause?: unknown) {
    super(`rr has no jobs pipeline "${pipeline}" (${method}): declare it under jobs.pipelines in .rr.yaml or with Jobs.declare()`, {
      pipeline,
      method,
      cause,
    }, 'ERR_JOBS_PIPELINE_NOT_FOUND');
  }
}

/** rr could not be asked: the RPC connection failed, broke or timed out. The cause is the RPC client's error. */
export class JobsConnectionError extends JobsError {
  constructor(method: string, cause: unknown) {
    super('ERR_JOBS_CONNECTION', `rr ${method} could not reach rr: ${cause instanceof Error ? cause.message : String(cause)}`, { method, cause });
  }
}

import { JobDecodeError } from './errors.js';
import type { JobHeaders } from './proto/jobs-v1.js';
import { utf8Text } from './utf8-text.js';

/**
 * One task as rr's jobs plugin hands it to a worker: the context JSON the driver wrote
 * (`Item.Context()` in each driver) and the payload bytes, as pushed.
 */
export interface ReceivedTask {
  /** The job's unique id. */
  readonly id: string;
  /** The job name (what handlers are routed by; PHP producers put a class name here). */
  readonly job: string;
  /** The pipeline the task came from; `unknown` when the driver did not say (as PHP's client does). */
  readonly pipeline: string;
  /** The driver plugin: `memory`, `amqp`, `nats`, `kafka`, `sqs`, `boltdb`, `beanstalk`... `unknown` when absent. */
  readonly driver: string;
  /** The queue (AMQP queue, NATS stream, SQS queue...); undefined for drivers that send none (memory). */
  readonly queue: string | undefined;
  /** Headers; rr sends `null` for none, which becomes `{}`. */
  readonly headers: Readonly<JobHeaders>;
  /** Kafka only: the topic. */
  readonly topic: string | undefined;
  /** Kafka only: the partition. */
  readonly partition: number | undefined;
  /** Kafka only: the offset. */
  readonly offset: number | undefined;
  /** The payload as pushed (a view into the frame: copy it to keep it past the task). */
  readonly payload: Uint8Array;
}

/**
 * Decodes a jobs task from the frame rr sent: `context` is the driver's JSON, `body` the payload.
 * Unknown keys are ignored (a newer driver may add some); a missing `pipeline` or `driver` becomes
 * `unknown`.
 *
 * @throws JobDecodeError when the context is not a JSON object, `id` is not a non-empty string,
 *   `job` is not a string, `headers` is neither null nor an object of string arrays, or a Kafka
 *   field has the wrong type. The error carries the id and job name when they could be read.
 */
export function decodeTask(context: Uint8Array, body: Uint8Array): ReceivedTask {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Text(context));
  } catch {
    // Not V8's message: it quotes the context, whose headers may hold secrets.
    throw new JobDecodeError('', `not JSON (${context.length} bytes)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JobDecodeError('', `expected a JSON object, got ${describe(parsed)}`);
  }
  const fields = parsed as Record<string, unknown>;
  const id = fields['id'];
  const job = fields['job'];
  const known = { jobId: typeof id === 'string' ? id : undefined, job: typeof job === 'string' ? job : undefined };
  if (typeof id !== 'string' || id === '') throw new JobDecodeError('id', `expected a non-empty string, got ${describe(id)}`, known);
  if (typeof job !== 'string') throw new JobDecodeError('job', `expected a string, got ${describe(job)}`, known);

  return {
    id,
    job,
    pipeline: optionalString(fields, 'pipeline', known) ?? 'unknown',
    driver: optionalString(fields, 'driver', known) ?? 'unknown',
    queue: optionalString(fields, 'queue', known),
    headers: headersOf(fields['headers'], known),
    topic: optionalString(fields, 'topic', known),
    partition: optionalInteger(fields, 'partition', known),
    offset: optionalInteger(fields, 'offset', known),
    payload: body,
  };
}

function optionalString(fields: Record<string, unknown>, key: string, known: { jobId?: string | undefined; job?: string | undefined }): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new JobDecodeError(key, `expected a string, got ${describe(value)}`, known);
  return value;
}

function optionalInteger(fields: Record<string, unknown>, key: string, known: { jobId?: string | undefined; job?: string | undefined }): number | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new JobDecodeError(key, `expected an integer, got ${describe(value)}`, known);
  return value;
}

function headersOf(value: unknown, known: { jobId?: string | undefined; job?: string | undefined }): JobHeaders {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new JobDecodeError('headers', `expected null or an object of string lists, got ${describe(value)}`, known);
  }
  let headers = value as JobHeaders;
  for (const name in value) {
    const values = (value as Record<string, unknown>)[name];
    if (values === null) {
      // Go writes a nil []string as null: no values.
      if (headers === value) headers = { ...(value as JobHeaders) };
      headers[name] = [];
    } else if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
      throw new JobDecodeError('headers', `header ${JSON.stringify(name)}: expected a list of strings, got ${describe(values)}`, known);
    }
  }
  return headers;
}

/** The type of a value, never the value itself (it may be personal data). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

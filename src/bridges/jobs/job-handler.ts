import type { ZodType } from 'zod';
import type { AbstractNewable } from '../../container/index.js';
import { JobHandlerError } from './errors.js';

/** How the payload is handed to a job handler. */
export type JobPayloadKind = 'json' | 'text' | 'bytes';

/** Options of {@link JobHandler}. */
export interface JobHandlerOptions {
  /** The job name routed to this class (what `Jobs.push(name, ...)` sends). */
  job: string;
  /**
   * Checks (and may transform) the payload before the handler runs; the handler gets zod's output.
   * A payload that fails it is a permanent failure (`JobPayloadError`): never retried, dead-lettered
   * when a dead-letter pipeline is configured.
   */
  schema?: ZodType | undefined;
  /**
   * What the handler receives: `json` (default; a payload that is not JSON is a permanent failure),
   * `text` (UTF-8) or `bytes` (the raw `Uint8Array`). The schema, if any, checks this value.
   */
  payload?: JobPayloadKind | undefined;
  /** The method called as `method(payload, event)`. Default `handle`. */
  method?: string | undefined;
}

/** One `@JobHandler` declaration, with defaults applied. */
export interface JobHandlerMetadata {
  readonly job: string;
  readonly schema: ZodType | undefined;
  readonly payload: JobPayloadKind;
  readonly method: string;
}

const KINDS: readonly JobPayloadKind[] = ['json', 'text', 'bytes'];
// Keyed by the exact class, like @AsEventListener: subclasses declare their own routes.
const metadataByClass = new WeakMap<AbstractNewable, readonly JobHandlerMetadata[]>();

/**
 * Class decorator routing the tasks of one job name to this class. The class is resolved from the
 * task's scope (register it in the container; `scope: 'request'` gives one instance per task) and
 * its `handle(payload, event)` is called; returning acks the task, throwing requeues it per the
 * retry policy. Repeatable: one class may handle several job names.
 *
 * ```ts
 * @JobHandler({ job: 'mail.send', schema: z.object({ to: z.email(), subject: z.string() }) })
 * @Service({ scope: 'request' })
 * class SendMail {
 *   constructor(@Inject(Mailer) private readonly mailer: Mailer) {}
 *   async handle(payload: { to: string; subject: string }, event: JobsRunEvent) {
 *     await this.mailer.send(payload.to, payload.subject, { idempotencyKey: event.id });
 *   }
 * }
 * ```
 *
 * @throws JobHandlerError when the job name is empty, the method does not exist, `payload` is not
 *   one of the kinds, or `schema` is not a zod schema.
 */
export function JobHandler(options: JobHandlerOptions): (target: AbstractNewable) => void {
  return (target) => {
    const where = `@JobHandler on ${target.name || 'an anonymous class'}`;
    if (typeof options?.job !== 'string' || options.job === '') {
      throw new JobHandlerError(`${where}: "job" must be a non-empty job name, got ${JSON.stringify(options?.job)}`);
    }
    const method = options.method ?? 'handle';
    if (typeof (target.prototype as Record<string, unknown>)[method] !== 'function') {
      throw new JobHandlerError(`${where}: the class has no method "${method}" (handling job "${options.job}")`, { job: options.job });
    }
    const payload = options.payload ?? 'json';
    if (!KINDS.includes(payload)) {
      throw new JobHandlerError(`${where}: "payload" must be one of ${KINDS.join(', ')}, got ${JSON.stringify(payload)}`, { job: options.job });
    }
    const schema = options.schema;
    if (schema !== undefined && typeof (schema as { safeParseAsync?: unknown })?.safeParseAsync !== 'function') {
      throw new JobHandlerError(`${where}: "schema" must be a zod schema (handling job "${options.job}")`, { job: options.job });
    }
    const entry: JobHandlerMetadata = Object.freeze({ job: options.job, schema, payload, method });
    metadataByClass.set(target, Object.freeze([entry, ...(metadataByClass.get(target) ?? [])]));
  };
}

/** The `@JobHandler` declarations of exactly this class, in source order; empty when none. */
export function getJobHandlerMetadata(handlerClass: AbstractNewable): readonly JobHandlerMetadata[] {
  return metadataByClass.get(handlerClass) ?? [];
}

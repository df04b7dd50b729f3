import type { ZodType } from 'zod';
import { describeId, type AbstractNewable, type Container } from '../../container/index.js';
import { JobHandlerError, JobPayloadError, type JobPayloadIssue } from './errors.js';
import { getJobHandlerMetadata, type JobHandlerMetadata } from './job-handler.js';
import type { JobsRunEvent } from './jobs-run-event.js';
import { isThenable } from './dispatch-jobs-run-event.js';

interface Route extends JobHandlerMetadata {
  readonly handlerClass: AbstractNewable;
}

/**
 * Routes tasks by job name to the `@JobHandler` classes given to `jobsMode`: checks the
 * declarations once at boot (decorator present, class in the container, one handler per name),
 * then per task resolves the class from the task's scope, checks the payload against its schema and
 * calls it.
 */
export class JobRouter {
  readonly #routes = new Map<string, Route>();

  /** @throws JobHandlerError for a class without `@JobHandler`, one the container lacks, or two handlers of one job name. */
  constructor(handlerClasses: readonly AbstractNewable[], container: Container) {
    for (const handlerClass of handlerClasses) {
      const declarations = getJobHandlerMetadata(handlerClass);
      if (declarations.length === 0) throw new JobHandlerError(`${describeId(handlerClass)} is listed as a job handler but has no @JobHandler decorator`);
      if (!container.has(handlerClass)) {
        throw new JobHandlerError(`job handler ${describeId(handlerClass)} is not registered in the container: add it to createContainer({ services })`);
      }
      for (const declaration of declarations) {
        const taken = this.#routes.get(declaration.job);
        if (taken) {
          throw new JobHandlerError(`job "${declaration.job}" has two handlers: ${describeId(taken.handlerClass)} and ${describeId(handlerClass)}`, {
            job: declaration.job,
          });
        }
        this.#routes.set(declaration.job, { ...declaration, handlerClass });
      }
    }
  }

  /** The job names that have a handler. */
  get jobs(): string[] {
    return [...this.#routes.keys()];
  }

  /** Whether a handler takes this job name. */
  has(job: string): boolean {
    return this.#routes.has(job);
  }

  /**
   * Runs the handler of the event's job name, if there is one. Synchronous when the handler is and
   * no schema needs checking; throws (or rejects with) what the handler throws, unwrapped.
   *
   * @throws JobPayloadError when the payload is not JSON (`payload: 'json'`) or fails the schema.
   */
  dispatch(event: JobsRunEvent): void | Promise<void> {
    const route = this.#routes.get(event.name);
    if (!route) return;
    const raw = route.payload === 'json' ? event.json() : route.payload === 'text' ? event.text : event.payload;
    if (!route.schema) return call(route, raw, event);
    return validate(route.schema, raw, event).then((payload) => call(route, payload, event));
  }
}

function call(route: Route, payload: unknown, event: JobsRunEvent): void | Promise<void> {
  const handler = event.scope.get(route.handlerClass) as Record<string, (payload: unknown, event: JobsRunEvent) => unknown>;
  const result = handler[route.method]!(payload, event);
  if (isThenable(result)) return Promise.resolve(result).then(() => undefined);
}

async function validate(schema: ZodType, value: unknown, event: JobsRunEvent): Promise<unknown> {
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  const issues: JobPayloadIssue[] = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  throw new JobPayloadError(issues, { jobId: event.id, job: event.name, pipeline: event.pipeline, cause: result.error });
}

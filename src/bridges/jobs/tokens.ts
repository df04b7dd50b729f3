import { createToken, type Binding, type ScopeValueBinding, type Token } from '../../container/index.js';
import { Jobs, type JobsOptions } from './jobs.js';
import type { JobsRunEvent } from './jobs-run-event.js';

/** The producer (`Jobs`) in the container: inject it in HTTP handlers, listeners and other jobs. Bind it with {@link jobsBindings}. */
export const JOBS: Token<Jobs> = createToken<Jobs>('jobs');

/** The task being handled, in its scope. Declare it with {@link jobsRunEventBinding} to inject it. */
export const JOBS_RUN_EVENT: Token<JobsRunEvent> = createToken<JobsRunEvent>('jobs.run_event');

/** Declares {@link JOBS_RUN_EVENT} as a value each task's scope supplies, so request-scoped services can inject the task. */
export const jobsRunEventBinding: ScopeValueBinding<JobsRunEvent> = { id: JOBS_RUN_EVENT, fromScope: true };

/**
 * The producer as a container singleton under {@link JOBS} (and its class): one RPC connection to
 * rr (`RR_RPC` unless `address` or `rpc` is given), dialed at the first call, closed when the
 * container is disposed.
 *
 * ```ts
 * const container = createContainer({ bindings: [...jobsBindings({ pipeline: 'default' })] });
 * await container.get(JOBS).push('report.build', { month: '2026-11' });
 * ```
 */
export function jobsBindings(options: JobsOptions = {}): Binding[] {
  return [
    { id: JOBS, useFactory: () => new Jobs(options) },
    { id: Jobs, useExisting: JOBS },
  ];
}

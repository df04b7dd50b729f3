import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { encodeJobReply } from './job-reply.js';

/** Seconds before rr delivers again a task a worker could not even start on (it failed to boot). */
export const UNAVAILABLE_RETRY_SECONDS = 5;

const UNAVAILABLE_REPLY = encodeJobReply({ type: 'nack', message: 'the jobs worker failed to boot', requeue: true, delaySeconds: UNAVAILABLE_RETRY_SECONDS });

/**
 * The jobs answer of a worker that failed to boot: the task goes back to its queue, delayed, rather
 * than being lost (an ERROR frame would nack it, and rr's memory driver drops a nacked task).
 */
export function answerJobsUnavailable(unit: UnitOfWork): Promise<void> {
  return unit.respond(UNAVAILABLE_REPLY);
}

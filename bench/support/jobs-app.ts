/**
 * bench:jobs's app: the stack a user writes (docs/jobs.md): jobsMode with a request-scoped
 * @JobHandler resolved per task from its scope, its JSON payload parsed, a JobsRunEvent listener
 * and the task bound in the scope; every task acked by returning.
 */
import { createContainer, Inject, Service } from '../../src/container/index.js';
import { defineApp } from '../../src/runtime/app/define-app.js';
import { AsEventListener } from '../../src/runtime/events/as-event-listener.js';
import { JobHandler, JOBS_RUN_EVENT, jobsMode, JobsRunEvent, jobsRunEventBinding } from '../../src/bridges/jobs/index.js';

@Service()
class Counter {
  handled = 0;
}

@AsEventListener({ event: JobsRunEvent })
@Service()
class CountingListener {
  constructor(@Inject(Counter) private readonly counter: Counter) {}
  onJobsRunEvent(): void {
    this.counter.handled += 1;
  }
}

@JobHandler({ job: 'bench' })
@Service({ scope: 'request' })
class BenchHandler {
  constructor(@Inject(JOBS_RUN_EVENT) private readonly event: JobsRunEvent) {}
  handle(payload: { n: number }): void {
    if (typeof payload.n !== 'number' || this.event.name !== 'bench') throw new Error('unexpected task');
  }
}

const container = createContainer({ services: [Counter, CountingListener, BenchHandler], bindings: [jobsRunEventBinding] });

export default defineApp({ modes: { jobs: jobsMode({ container, handlers: [BenchHandler], listeners: [CountingListener] }) } });

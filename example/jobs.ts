/**
 * The example's jobs: an HTTP route pushes a job, the `RR_MODE=jobs` worker consumes it (pipeline
 * `emails` in example/.rr.yaml, rr's memory driver), and a second route shows what was handled.
 *
 *   curl -X POST -H 'content-type: application/json' -d '{"to":"ada@example.com"}' http://127.0.0.1:8080/jobs/welcome
 *   curl http://127.0.0.1:8080/jobs/sent                 the welcome mails the jobs worker "sent"
 *   curl -X POST -d '{"to":""}' -H 'content-type: application/json' http://127.0.0.1:8080/jobs/welcome
 *                                                       pushed too, but its payload fails the handler's
 *                                                       schema: logged, never retried, nacked
 *
 * The handled mails are kept in rr's KV storage `local`, which the HTTP workers read.
 */
import { z } from 'zod';
import { Controller, Get, Inject, Post, Service } from 'roadrunner-runtime';
import { JOBS, JobHandler, jobsBindings, jobsRunEventBinding, type Jobs, type JobsRunEvent } from 'roadrunner-runtime/jobs';
import type { RrKvCache } from 'roadrunner-runtime/kv';

const WelcomeMail = z.object({ to: z.email() });
type WelcomeMail = z.infer<typeof WelcomeMail>;

const SENT_KEY = 'jobs:welcome-sent';

/** Consumes `mail.welcome` in the jobs worker, one instance per task (its scope). Throwing retries it with backoff. */
@JobHandler({ job: 'mail.welcome', schema: WelcomeMail })
@Service({ scope: 'request' })
export class SendWelcomeMail {
  constructor(@Inject('cache.adapter.rr_kv.local') private readonly cache: RrKvCache) {}

  async handle(mail: WelcomeMail, event: JobsRunEvent): Promise<void> {
    // A real handler would call a mail API here, with event.id as its idempotency key.
    const sent = (await this.cache.get<Array<{ to: string; id: string; pid: number }>>(SENT_KEY)) ?? [];
    sent.push({ to: mail.to, id: event.id, pid: process.pid });
    await this.cache.set(SENT_KEY, sent.slice(-20), 3600);
  }
}

/** Pushes from the HTTP workers through the producer the container binds as JOBS. */
@Controller('/jobs')
@Service({ scope: 'request' })
export class JobsController {
  constructor(
    @Inject(JOBS) private readonly jobs: Jobs,
    @Inject('cache.adapter.rr_kv.local') private readonly cache: RrKvCache,
  ) {}

  @Post('/welcome')
  async welcome(request: Request): Promise<Response> {
    const payload = await request.json().catch(() => null);
    const id = await this.jobs.push('mail.welcome', payload, { headers: { origin: 'http' } });
    return Response.json({ queued: id }, { status: 202 });
  }

  @Get('/sent')
  async sent(): Promise<Response> {
    return Response.json((await this.cache.get(SENT_KEY)) ?? []);
  }
}

/** What app.ts adds to its container for the jobs part. */
export const jobsServices = [SendWelcomeMail, JobsController];
export const exampleJobsBindings = [jobsRunEventBinding, ...jobsBindings({ pipeline: 'emails' })];

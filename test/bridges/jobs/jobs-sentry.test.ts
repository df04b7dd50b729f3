/**
 * jobsMode under the Sentry bridge, with the real `@sentry/node` SDK and a local envelope
 * recorder (as test/bridges/sentry does): one isolation scope per task, each handled failure
 * captured once with its job's identity and only its own tags.
 */
import { expect } from 'chai';
import * as Sentry from '@sentry/node';
import { createContainer, Service } from '../../../src/container/index.js';
import { JobHandler, jobsMode, type JobsRunEvent } from '../../../src/bridges/jobs/index.js';
import { SentryMechanism, withSentry } from '../../../src/bridges/sentry/index.js';
import { EnvelopeServer, type RecordedEvent } from '../sentry/envelope-server.js';
import { startJobsWorker } from './support/jobs-worker.js';

@JobHandler({ job: 'bill' })
@Service()
class BillCustomer {
  handle(payload: { customer: string; fail?: boolean }, event: JobsRunEvent): void {
    Sentry.setTag('customer', payload.customer);
    Sentry.addBreadcrumb({ message: `billing ${payload.customer} (job ${event.id})` });
    if (payload.fail) throw new Error(`card of ${payload.customer} declined`);
  }
}

describe('jobsMode with the Sentry bridge (real @sentry/node, local envelope endpoint)', () => {
  let server: EnvelopeServer;
  before(async () => {
    server = await EnvelopeServer.start();
    Sentry.init({ dsn: server.dsn, defaultIntegrations: false, sendClientReports: false, enableRuntimeChannelInjection: false });
  });
  after(async () => {
    await Sentry.close(2000);
    await server.close();
  });

  it('gives each task its own isolation scope and captures a failed task once, with its job', async () => {
    const mode = jobsMode({ container: createContainer({ services: [BillCustomer] }), handlers: [BillCustomer], retry: { maxAttempts: 3 } });
    const app = startJobsWorker(withSentry(mode, { sentry: Sentry }));
    const replies = [
      await app.task({ id: 'j1', job: 'bill', pipeline: 'billing', driver: 'amqp', queue: 'billing' }, '{"customer":"alice"}'),
      await app.task({ id: 'j2', job: 'bill', pipeline: 'billing', driver: 'amqp', queue: 'billing' }, '{"customer":"bob","fail":true}'),
      await app.task({ id: 'j3', job: 'bill', pipeline: 'billing', driver: 'amqp', queue: 'billing' }, '{"customer":"carol"}'),
    ];
    expect(await app.stop()).to.equal(0);
    expect(replies.map((reply) => reply.type)).to.deep.equal([2, 4, 2]);

    const events: RecordedEvent[] = server.events();
    expect(events).to.have.length(1);
    const [event] = events as [RecordedEvent];
    expect(event.exception?.values[0]).to.deep.include({ value: 'card of bob declined' });
    expect(event.exception?.values[0]?.mechanism?.type).to.equal(SentryMechanism.reported);
    expect(event.tags).to.include({ customer: 'bob', 'rr.mode': 'jobs' });
    expect((event.breadcrumbs ?? []).map((crumb) => crumb.message)).to.deep.equal(['billing bob (job j2)']);
    expect(event.contexts?.['job']).to.deep.equal({ id: 'j2', job: 'bill', pipeline: 'billing', driver: 'amqp', queue: 'billing' });
    expect(JSON.stringify(server.envelopes)).to.not.contain('alice').and.not.contain('carol');
  });
});

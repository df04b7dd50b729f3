/**
 * assertIsolated: two units with different identities on one worker; a singleton that keeps
 * per-request state without being Resettable fails it, the same service declared Resettable, or
 * request-scoped, passes.
 */
import { expect } from 'chai';
import { createContainer, Inject, Service, type ServiceScope } from '../../src/container/index.js';
import { defineApp } from '../../src/runtime/app/define-app.js';
import { Controller, Get, HTTP_KERNEL, httpMode, RouterKernel } from '../../src/bridges/http/index.js';
import { assertIsolated, IsolationError, IsolationProbeError, startTestWorker, type TestWorker } from '../../src/testing/index.js';

/** Remembers who asked: per-request state. */
class Visitors {
  names: string[] = [];
  reset(): void {
    this.names = [];
  }
}

function appWith(declare: { resettable?: boolean; scope?: ServiceScope }) {
  @Service(declare)
  class DeclaredVisitors extends Visitors {}

  @Controller()
  @Service({ scope: 'request' })
  class GreetController {
    constructor(@Inject(DeclaredVisitors) private readonly visitors: DeclaredVisitors) {}

    @Get('/greet')
    greet(request: Request): Response {
      this.visitors.names.push(request.headers.get('x-user') ?? 'nobody');
      return new Response(`hello ${this.visitors.names.join(' and ')}`);
    }
  }

  const container = createContainer({
    services: [DeclaredVisitors, GreetController],
    bindings: [{ id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [GreetController] }) }],
  });
  return defineApp({ modes: { http: httpMode({ container }) } });
}

async function failureOf(promise: Promise<unknown>): Promise<Error | undefined> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

describe('testing: assertIsolated', () => {
  let worker: TestWorker | undefined;
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });
  const greet = (user: string) => worker!.fetch('/greet', { headers: { 'x-user': user } });

  it('fails with IsolationError when a singleton keeps per-request state without being Resettable', async () => {
    worker = await startTestWorker(appWith({}), { mode: 'http' });
    const error = await failureOf(assertIsolated(greet, { label: 'GET /greet' }));
    expect(error).to.be.instanceOf(IsolationError);
    expect(error).to.be.instanceOf(Error);
    expect(error!.message).to.match(/GET \/greet.*state leaked between units of work: the second unit \(as "second-\w+"\) shows "first-\w+" from the first unit/);
    expect(error!.message).to.contain('declare it Resettable');
    expect((error as IsolationError).code).to.equal('ERR_ISOLATION');
  });

  it('passes when the same service is declared Resettable, or is request-scoped', async () => {
    worker = await startTestWorker(appWith({ resettable: true }), { mode: 'http' });
    await assertIsolated(greet);
    await worker.close();
    worker = await startTestWorker(appWith({ scope: 'request' }), { mode: 'http' });
    await assertIsolated(greet);
  });

  it('uses given identities, where what is sent and what is shown differ', async () => {
    worker = await startTestWorker(appWith({}), { mode: 'http' });
    const tokens: Record<string, string> = { 't-ada': 'ada', 't-bob': 'bob' };
    const error = await failureOf(
      assertIsolated((token) => worker!.fetch('/greet', { headers: { 'x-user': tokens[token]! } }), {
        identities: [
          { send: 't-ada', shows: 'ada' },
          { send: 't-bob', shows: 'bob' },
        ],
      }),
    );
    expect(error).to.be.instanceOf(IsolationError);
    expect(error!.message).to.contain('(as "bob") shows "ada"');
  });

  it('refuses a probe whose outcome does not show its identity, since it could not see a leak', async () => {
    const error = await failureOf(assertIsolated(async () => new Response('always the same')));
    expect(error).to.be.instanceOf(IsolationProbeError);
    expect(error!.message).to.contain("the first unit's outcome does not show its identity");
    expect(error!.message).to.contain('either state leaked into it from an earlier unit of work, or the unit does not return what it served');
    const overlapping = await failureOf(assertIsolated(async (id) => id, { identities: ['ada', 'adam'] }));
    expect(overlapping).to.be.instanceOf(IsolationProbeError);
  });

  it('reads job outcomes and byte fields of Centrifugo replies as text', async () => {
    let last = '';
    const error = await failureOf(
      assertIsolated(async (id) => {
        const data = Buffer.from(`${last} ${id}`);
        last = id;
        return { result: { data } };
      }),
    );
    expect(error).to.be.instanceOf(IsolationError);
  });

  it("leaves the unit's Response readable: it reads a clone", async () => {
    const responses: Response[] = [];
    await assertIsolated(async (id) => {
      const response = new Response(`hello ${id}`, { headers: { 'x-user': id } });
      responses.push(response);
      return response;
    });
    expect(await responses[1]!.text()).to.match(/^hello second-/);
  });
});

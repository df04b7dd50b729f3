/**
 * startTestWorker: apps booted through runApp and served by the real worker loop over the
 * in-memory rr peer, for each mode, with overrides, boot failures, streaming and STOP.
 */
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { createContainer, createToken, Inject, Service, type Token } from '../../src/container/index.js';
import { defineApp } from '../../src/runtime/app/define-app.js';
import { FrameFlag } from '../../src/runtime/goridge/flags.js';
import { Controller, Get, HTTP_KERNEL, httpMode, httpRequestBinding, HTTP_REQUEST, RouterKernel } from '../../src/bridges/http/index.js';
import { createHttpHandler } from '../../src/bridges/http/http-handler.js';
import { REQUEST_CONTEXT, requestContextBinding, type RequestContext } from '../../src/bridges/http/index.js';
import { JobHandler, jobsMode, type JobsRunEvent } from '../../src/bridges/jobs/index.js';
import { ConnectEvent, centrifugeMode } from '../../src/bridges/centrifugo/index.js';
import { AsEventListener } from '../../src/runtime/events/as-event-listener.js';
import { startTestWorker, TestWorkerBootError, TestWorkerError, type TestWorker } from '../../src/testing/index.js';

const GREETING = createToken<{ word: string }>('test.greeting');

@Controller()
@Service({ scope: 'request' })
class HelloController {
  constructor(
    @Inject(GREETING) private readonly greeting: { word: string },
    @Inject(REQUEST_CONTEXT) private readonly context: RequestContext,
    @Inject(HTTP_REQUEST) private readonly request: Request,
  ) {}

  @Get('/hello/:name')
  hello(_request: Request, { params }: { params: Record<string, string | undefined> }): Response {
    return Response.json({ text: `${this.greeting.word} ${params['name']}`, client: this.context.clientAddress, ua: this.request.headers.get('user-agent') });
  }
}

function helloContainer() {
  return createContainer({
    services: [HelloController],
    bindings: [
      httpRequestBinding,
      requestContextBinding,
      { id: GREETING, useValue: { word: 'hello' } },
      { id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [HelloController] }) },
    ],
  });
}

describe('testing: startTestWorker', () => {
  let worker: TestWorker | undefined;
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  describe('http', () => {
    it('serves a Fetch Request through httpMode and hands back a Fetch Response', async () => {
      worker = await startTestWorker(defineApp({ modes: { http: httpMode({ container: helloContainer() }) } }), { mode: 'http', http: { remoteAddr: '10.0.0.7' } });
      const response = await worker.fetch('/hello/ada', { headers: { 'user-agent': 'kit' } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^application\/json/);
      expect(await response.json()).to.deep.equal({ text: 'hello ada', client: '10.0.0.7', ua: 'kit' });
      expect(response.workerError).to.equal(undefined);
      // What crossed the in-memory pipe is rr's protocol: the pid handshake, then one proto frame.
      expect(worker.peer.sent[0]!.flags & FrameFlag.CONTROL).to.not.equal(0);
      expect(worker.peer.sent[1]!.flags).to.equal(FrameFlag.CODEC_PROTO);
    });

    it('applies container overrides for its worker only and undoes them on close()', async () => {
      const container = helloContainer();
      const app = defineApp({ modes: { http: httpMode({ container }) } });
      worker = await startTestWorker(app, { mode: 'http', container, overrides: [[GREETING, { useValue: { word: 'bonjour' } }]] });
      expect(((await (await worker.fetch('/hello/ada')).json()) as { text: string }).text).to.equal('bonjour ada');
      await worker.close();
      // httpMode's shutdown disposed the container, as when rr stops the worker process.
      expect(() => container.get(GREETING)).to.throw(/disposed/);
    });

    it('restores the overrides of a worker whose app keeps its container alive', async () => {
      const container = helloContainer();
      const handler = createHttpHandler(() => Response.json(container.get(GREETING)));
      worker = await startTestWorker(() => ({ handle: handler }), { mode: 'http', container, overrides: [[GREETING, { useValue: { word: 'hola' } }]] });
      expect(await (await worker.fetch('/')).json()).to.deep.equal({ word: 'hola' });
      await worker.close();
      expect(container.get(GREETING)).to.deep.equal({ word: 'hello' });
    });

    it('streams a body frame by frame, and cancelling it sends rr\'s STOP to the handler', async () => {
      let aborted = false;
      let produced = 0;
      worker = await startTestWorker(
        () => ({
          handle: createHttpHandler((request) => {
            request.signal.addEventListener('abort', () => (aborted = true));
            return new Response(
              new ReadableStream({
                async pull(controller) {
                  produced += 1;
                  controller.enqueue(new TextEncoder().encode(`chunk ${produced}\n`));
                  await new Promise((resolve) => setImmediate(resolve));
                },
              }),
            );
          }),
        }),
        { mode: 'http' },
      );
      const response = await worker.fetch('/endless');
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).to.equal('chunk 1\n');
      await reader.cancel();
      // The unit ends (the worker sent its final frame), so the next request is served.
      const next = await worker.fetch('/endless');
      await next.body!.cancel();
      expect(aborted).to.equal(true);
    });

    it('reports 103 Early Hints apart from the final response', async () => {
      worker = await startTestWorker(
        () => ({
          handle: async (unit) => {
            const { encodeHttpResponse } = await import('../../src/bridges/http/proto/http-v1.js');
            await unit.stream(new Uint8Array(0), encodeHttpResponse({ status: 103, headers: { Link: ['</app.css>; rel=preload'] } }), { flags: FrameFlag.CODEC_PROTO });
            await unit.respond(Buffer.from('ok'), encodeHttpResponse({ status: 200, headers: {} }), { flags: FrameFlag.CODEC_PROTO });
          },
        }),
        { mode: 'http' },
      );
      const response = await worker.fetch('/');
      expect(response.informational.map((hint) => [hint.status, hint.headers.get('link')])).to.deep.equal([[103, '</app.css>; rel=preload']]);
      expect(await response.text()).to.equal('ok');
    });

    it('answers 500 with workerError when the worker sends an ERROR frame', async () => {
      worker = await startTestWorker(() => ({ handle: (unit) => unit.error('kaput') }), { mode: 'http' });
      const response = await worker.fetch('/');
      expect(response.status).to.equal(500);
      expect(response.workerError).to.equal('kaput');
    });

    it('sends forms and uploads the way rr does, and deletes the upload files after the reply', async () => {
      let tmpNames: string[] = [];
      worker = await startTestWorker(
        () => ({
          handle: createHttpHandler(async (request, info) => {
            tmpNames = (info.context.files ?? []).map((file) => file.tmpName);
            const form = await request.formData();
            const file = form.get('doc') as File;
            return Response.json({ fields: info.context.form, name: form.getAll('tags[]'), file: file ? [file.name, await file.text()] : null });
          }),
        }),
        { mode: 'http' },
      );
      const urlencoded = await worker.fetch('/', { method: 'POST', body: new URLSearchParams('a[b][]=1&a[b][]=2&c=x&c=y&tags[]=t') });
      expect(await urlencoded.json()).to.deep.equal({ fields: { a: { b: ['1', '2'] }, c: 'y', tags: ['t'] }, name: ['t'], file: null });

      const form = new FormData();
      form.append('title', 'report');
      form.append('doc', new File(['file body'], 'report.txt', { type: 'text/plain' }));
      const multipart = await worker.fetch('/', { method: 'POST', body: form });
      expect(await multipart.json()).to.deep.equal({ fields: { title: 'report' }, name: [], file: ['report.txt', 'file body'] });
      expect(tmpNames).to.have.length(1);
      expect(existsSync(tmpNames[0]!), 'rr deletes uploads when the request ends').to.equal(false);
    });

    it('serves one unit at a time, as one rr worker does', async () => {
      let inFlight = 0;
      let most = 0;
      worker = await startTestWorker(
        () => ({
          handle: createHttpHandler(async () => {
            most = Math.max(most, ++inFlight);
            await new Promise((resolve) => setImmediate(resolve));
            inFlight -= 1;
            return new Response('ok');
          }),
        }),
        { mode: 'http' },
      );
      const replies = await Promise.all(Array.from({ length: 5 }, () => worker!.fetch('/')));
      expect(replies.map((reply) => reply.status)).to.deep.equal([200, 200, 200, 200, 200]);
      expect(most).to.equal(1);
    });
  });

  describe('jobs', () => {
    @JobHandler({ job: 'greet' })
    @Service({ scope: 'request' })
    class GreetJob {
      handle(payload: { name?: string }, event: JobsRunEvent): void {
        if (payload.name === 'later') event.requeue({ delay: 3, message: 'not now' });
        else if (payload.name === undefined) throw new Error('no name');
      }
    }

    it('returns what rr would do with each job: ack, requeue, nack after failures', async () => {
      const container = createContainer({ services: [GreetJob] });
      worker = await startTestWorker(defineApp({ modes: { jobs: jobsMode({ container, handlers: [GreetJob], retry: { maxAttempts: 1 } }) } }), { mode: 'jobs' });
      expect(await worker.job({ job: 'greet', payload: { name: 'ada' } })).to.deep.equal({ type: 'ack' });
      expect(await worker.job({ job: 'greet', payload: { name: 'later' } })).to.deep.include({ type: 'requeue', message: 'not now', delaySeconds: 3 });
      const failed = await worker.job({ job: 'greet', payload: {} });
      expect(failed.type).to.equal('nack');
      expect(worker.errors.map(String).join()).to.contain('no name');
    });

    it('fails loudly on a reply rr would silently ack', async () => {
      worker = await startTestWorker(() => ({ handle: (unit) => unit.respond(Buffer.from('ok')) }), { mode: 'jobs' });
      let error: unknown;
      await worker.job({ job: 'x' }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(TestWorkerError);
      expect((error as Error).message).to.contain('rr would ack the job silently');
    });
  });

  describe('centrifuge', () => {
    @Service()
    @AsEventListener({ event: ConnectEvent, method: 'connect' })
    class Auth {
      connect(event: ConnectEvent): void {
        if ((event.data as { token?: string } | undefined)?.token === 'good') event.respond({ user: 'ada' });
      }
    }

    it('decodes the proxy reply rr passes to Centrifugo', async () => {
      const container = createContainer({ services: [Auth] });
      worker = await startTestWorker(defineApp({ modes: { centrifuge: centrifugeMode({ container, listeners: [Auth] }) } }), { mode: 'centrifuge' });
      expect((await worker.centrifugo('connect', { data: { token: 'good' } })).result?.user).to.equal('ada');
      expect((await worker.centrifugo('connect', { data: { token: 'bad' } })).disconnect?.code).to.equal(3507);
    });
  });

  describe('start and stop', () => {
    it('rejects with TestWorkerBootError naming the cause when the mode fails to boot', async () => {
      const app = defineApp({
        modes: {
          http: () => {
            throw new Error('database unreachable');
          },
        },
      });
      let error: unknown;
      await startTestWorker(app, { mode: 'http' }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(TestWorkerBootError);
      expect((error as Error).message).to.contain('database unreachable');
      expect((error as Error).cause).to.be.instanceOf(Error);
    });

    it('serves the boot-failure answer with bootFailure: "serve", as rr would see it', async () => {
      const app = defineApp({ modes: { http: () => Promise.reject(new Error('no config')) } });
      worker = await startTestWorker(app, { mode: 'http', bootFailure: 'serve' });
      expect((await worker.fetch('/')).status).to.equal(503);
      expect(worker.logs.join('\n')).to.contain('no config');
    });

    it('says which modes the app serves when asked for another, and refuses units of another mode', async () => {
      let error: unknown;
      await startTestWorker(defineApp({ modes: { http: () => ({ handle: async () => {} }) } }), { mode: 'jobs' }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(TestWorkerError);
      expect((error as Error).message).to.match(/jobs.*http/);

      worker = await startTestWorker(() => ({ handle: async () => {} }), { mode: 'jobs' });
      expect(() => worker!.fetch('/')).to.throw(TestWorkerError, "fetch() sends http units, but this test worker serves the jobs mode: start one with { mode: 'http' }");
    });

    it('runs the mode\'s shutdown on close() and returns the exit code; await using closes too', async () => {
      let shutdown = 0;
      {
        await using used = await startTestWorker(() => ({ handle: async (unit) => unit.respond(), shutdown: async () => void (shutdown += 1) }), { mode: 'http' });
        expect(used.exitCode).to.equal(undefined);
      }
      expect(shutdown).to.equal(1);
      const closing = await startTestWorker(() => ({ handle: async (unit) => unit.respond() }), { mode: 'http' });
      expect(await closing.close()).to.equal(0);
      expect(await closing.close()).to.equal(0);
    });

    it('loads an app module afresh for each worker, so closing one leaves the next a working container', async () => {
      const path = 'test/testing/fixtures/counter-app.ts';
      const first = await startTestWorker(path, { mode: 'http' });
      expect(await (await first.fetch('/')).text()).to.equal('1');
      expect(await (await first.fetch('/')).text()).to.equal('2');
      await first.close();
      // The fresh module has its own START token: overrides given as a function of the module pick it.
      worker = await startTestWorker(new URL('./fixtures/counter-app.ts', import.meta.url), { mode: 'http', overrides: (module) => [[module['START'] as Token<number>, { useValue: 10 }]] });
      expect(await (await worker.fetch('/')).text()).to.equal('11');
    });
  });
});

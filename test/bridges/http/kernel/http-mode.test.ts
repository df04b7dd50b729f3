import { modeContext } from '../../../support/mode-context.js';
import { expect } from 'chai';
import { Hono } from 'hono';
import { createContainer, currentScope, Inject, Service } from '../../../../src/container/index.js';
import type { RequestScope } from '../../../../src/container/index.js';
import type { Kernel } from '../../../../src/runtime/kernel.js';
import {
  fetchKernel,
  HTTP_KERNEL,
  HTTP_REQUEST,
  HTTP_RESPONSE_FINALIZER,
  httpMode,
  httpRequestBinding,
  isWarmupRequest,
  type HttpFinalizeContext,
  type HttpResponseFinalizer,
} from '../../../../src/bridges/http/kernel/index.js';
import { FileNotFoundError, HttpKernelConfigError } from '../../../../src/bridges/http/errors.js';
import { streamResponse } from '../../../../src/bridges/http/response/index.js';
import { serveMode } from './support.js';

/** A kernel that records what happens to it. */
class SpyKernel implements Kernel<RequestScope> {
  readonly calls: string[] = [];
  failBoot = false;
  failWarmup = false;
  async boot() {
    this.calls.push('boot');
    if (this.failBoot) throw new Error('routes file missing');
  }
  async handle(request: Request): Promise<Response> {
    if (isWarmupRequest(request)) {
      this.calls.push('warmup');
      if (this.failWarmup) throw new Error('warm-up blew up');
      return new Response('warm');
    }
    this.calls.push(`handle ${new URL(request.url).pathname}`);
    if (request.url.endsWith('/throw')) throw new Error('secret database password in this message');
    return new Response(`ok ${request.headers.get('x-n') ?? ''}`);
  }
  async terminate(request: Request) {
    this.calls.push(`terminate ${new URL(request.url).pathname}`);
  }
  async shutdown() {
    this.calls.push('shutdown');
  }
}

function withKernel(kernel: Kernel<RequestScope>, services: (new (...args: never[]) => unknown)[] = []) {
  return createContainer({ services, bindings: [httpRequestBinding, { id: HTTP_KERNEL, useValue: kernel }] });
}

describe('httpMode', () => {
  it('boots the kernel before the first request when lazy_boot is false', async () => {
    const kernel = new SpyKernel();
    const served = await serveMode(httpMode({ container: withKernel(kernel), lazyBoot: false, earlyRouterInitialization: false }));
    expect(kernel.calls).to.deep.equal(['boot']);
    await served.fetch('/a');
    await served.stop();
    expect(kernel.calls).to.deep.equal(['boot', 'handle /a', 'terminate /a', 'shutdown']);
  });

  it('boots the kernel on the first request when lazy_boot is true', async () => {
    const kernel = new SpyKernel();
    const served = await serveMode(httpMode({ container: withKernel(kernel), lazyBoot: true, earlyRouterInitialization: false }));
    expect(kernel.calls).to.deep.equal([]);
    await served.fetch('/a');
    await served.fetch('/b');
    await served.stop();
    expect(kernel.calls).to.deep.equal(['boot', 'handle /a', 'terminate /a', 'handle /b', 'terminate /b', 'shutdown']);
  });

  it('takes http.lazy_boot and http.early_router_initialization from the runtime config, options in code winning', async () => {
    const fromConfig = new SpyKernel();
    const lazy = await serveMode(httpMode({ container: withKernel(fromConfig) }), {}, { http: { lazy_boot: true, early_router_initialization: true } });
    expect(fromConfig.calls).to.deep.equal([]);
    await lazy.fetch('/a');
    await lazy.stop();
    expect(fromConfig.calls).to.deep.equal(['boot', 'warmup', 'handle /a', 'terminate /a', 'shutdown']);

    const codeWins = new SpyKernel();
    const eager = await serveMode(httpMode({ container: withKernel(codeWins), lazyBoot: false, earlyRouterInitialization: false }), {}, {
      http: { lazy_boot: true, early_router_initialization: true },
    });
    expect(codeWins.calls).to.deep.equal(['boot']);
    await eager.stop();
  });

  it('sends one marked warm-up request through the kernel at boot with early_router_initialization', async () => {
    const kernel = new SpyKernel();
    const served = await serveMode(httpMode({ container: withKernel(kernel), earlyRouterInitialization: true }));
    expect(kernel.calls).to.deep.equal(['boot', 'warmup']);
    await served.stop();
  });

  it('defaults early_router_initialization to on in production and off in development', async () => {
    const prod = new SpyKernel();
    await (await serveMode(httpMode({ container: withKernel(prod) }), { NODE_ENV: 'production' })).stop();
    const dev = new SpyKernel();
    await (await serveMode(httpMode({ container: withKernel(dev) }), { NODE_ENV: 'development' })).stop();
    expect(prod.calls).to.include('warmup');
    expect(dev.calls).to.not.include('warmup');
  });

  it('logs a failing warm-up request and keeps the worker serving', async () => {
    const kernel = new SpyKernel();
    kernel.failWarmup = true;
    const served = await serveMode(httpMode({ container: withKernel(kernel), earlyRouterInitialization: true }));
    expect(served.logs.join('\n')).to.contain('warm-up request failed (ignored)');
    expect((await served.fetch('/after')).status).to.equal(200);
    await served.stop();
  });

  it('answers 503 with the cause logged when the kernel fails to boot, instead of crash-looping', async () => {
    const kernel = new SpyKernel();
    kernel.failBoot = true;
    const served = await serveMode(httpMode({ container: withKernel(kernel), production: true }));
    for (let i = 0; i < 2; i++) {
      const response = await served.fetch('/x');
      expect(response).to.include({ status: 503, body: '503 Service Unavailable\n' });
    }
    expect(served.logs.join('\n')).to.contain('routes file missing');
    expect(served.reported.map((e) => (e as Error).message)).to.deep.equal(['routes file missing']);
    await served.stop();
  });

  it('answers 503 when the container itself cannot be built into a kernel', async () => {
    const container = createContainer({ bindings: [{ id: HTTP_KERNEL, useFactory: () => { throw new Error('no config'); } }] });
    const served = await serveMode(httpMode({ container, production: true }));
    expect((await served.fetch('/')).status).to.equal(503);
    expect(served.logs.join('\n')).to.contain('no config');
    await served.stop();
  });

  it('shows the stack in development and hides it in production for a throwing kernel', async () => {
    const dev = await serveMode(httpMode({ container: withKernel(new SpyKernel()), production: false }));
    const devPage = await dev.fetch('/throw');
    expect(devPage.status).to.equal(500);
    expect(devPage.headers['content-type']).to.deep.equal(['text/html; charset=utf-8']);
    expect(devPage.body).to.contain('secret database password').and.to.contain('http-mode.test.ts');
    expect((await dev.fetch('/fine')).status).to.equal(200);
    await dev.stop();

    const prod = await serveMode(httpMode({ container: withKernel(new SpyKernel()), production: true }));
    const prodPage = await prod.fetch('/throw');
    expect(prodPage).to.include({ status: 500, body: '500 Internal Server Error\n' });
    expect(prod.reported.map((e) => (e as Error).message)).to.deep.equal(['secret database password in this message']);
    await prod.stop();
  });

  it("hands a throwing kernel's error to rr with unhandledErrors: 'rr' (an ERROR frame: rr answers internal_error_code)", async () => {
    const kernel = new SpyKernel();
    const served = await serveMode(httpMode({ container: withKernel(kernel), unhandledErrors: 'rr' }));
    const failed = await served.fetch('/throw');
    expect(failed).to.include({ status: -1, body: 'Error: secret database password in this message' });
    expect(failed.frames).to.have.length(1);
    expect(served.reported.map((e) => (e as Error).message)).to.deep.equal(['secret database password in this message']);
    expect(kernel.calls, 'no terminate without a response').to.deep.equal(['boot', 'handle /throw']);
    expect((await served.fetch('/fine')).status).to.equal(200);
    await served.stop();

    const bad = httpMode({ container: withKernel(new SpyKernel()), unhandledErrors: 'stack' as never });
    const error = await Promise.resolve(bad(modeContext())).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(HttpKernelConfigError);
    expect((error as Error).message).to.contain('unhandledErrors must be "page" or "rr", got "stack"');
  });

  it('answers a file error with its 4xx status, without internals and without reporting it', async () => {
    const { fileResponse } = await import('../../../../src/bridges/http/response/file-response.js');
    const kernel = fetchKernel({ fetch: (request: Request) => fileResponse(new URL(request.url).pathname, { root: '/tmp/rrr-no-such-root', request }) });
    const served = await serveMode(httpMode({ container: withKernel(kernel), production: false }));
    const missing = await served.fetch('/secret.txt');
    expect(missing).to.include({ status: 404, body: '404 Not Found\n' });
    const escaping = await served.fetch('/a/../../etc/passwd');
    expect(escaping.status).to.be.oneOf([403, 404]);
    expect(escaping.body).to.not.contain('rrr-no-such-root');
    expect(served.reported).to.deep.equal([]);
    await served.stop();
  });

  it('mounts a Hono app as the kernel, with currentScope() and the bound request inside it', async () => {
    @Service({ scope: 'request' })
    class Greeting {
      constructor(@Inject(HTTP_REQUEST) private readonly request: Request) {}
      text() {
        return `hello ${new URL(this.request.url).searchParams.get('name')}`;
      }
    }
    const hono = new Hono().get('/greet', (c) => c.text(currentScope().get(Greeting).text()));
    const container = createContainer({ services: [Greeting], bindings: [httpRequestBinding, { id: HTTP_KERNEL, useValue: fetchKernel(hono) }] });
    const served = await serveMode(httpMode({ container }));
    expect((await served.fetch('/greet?name=ada')).body).to.equal('hello ada');
    expect((await served.fetch('/greet?name=bob')).body).to.equal('hello bob');
    expect((await served.fetch('/missing')).status).to.equal(404);
    await served.stop();
  });

  it('lets a test replace the kernel binding and restores it afterwards', async () => {
    const original = new SpyKernel();
    const container = withKernel(original);
    const handle = container.override(HTTP_KERNEL, { useValue: fetchKernel({ fetch: () => new Response('replaced') }) });
    const served = await serveMode(httpMode({ container }));
    expect((await served.fetch('/')).body).to.equal('replaced');
    handle.restore();
    expect(container.get(HTTP_KERNEL)).to.equal(original);
    await served.stop();
  });

  describe('response finalizers (HTTP_RESPONSE_FINALIZER)', () => {
    /** Records each call and stamps the response with its name, so the order shows in the headers. */
    class Stamp implements HttpResponseFinalizer {
      readonly seen: Array<{ path: string; status: number; error: unknown; hasError: boolean }> = [];
      constructor(readonly name: string) {}
      finalizeResponse(response: Response, context: HttpFinalizeContext): Response {
        this.seen.push({ path: new URL(context.request.url).pathname, status: response.status, error: context.error, hasError: 'error' in context });
        response.headers.append('x-finalized', this.name);
        return response;
      }
    }
    const withFinalizers = (kernel: Kernel<RequestScope>, ...finalizers: unknown[]) =>
      createContainer({
        bindings: [
          httpRequestBinding,
          { id: HTTP_KERNEL, useValue: kernel },
          ...finalizers.map((finalizer, i) => ({ id: `finalizer.${i}`, useValue: finalizer, tags: [HTTP_RESPONSE_FINALIZER] })),
        ],
      });

    it('runs every finalizer in registration order on the response before its head goes out, then terminate sees the result', async () => {
      const first = new Stamp('first');
      const second = new Stamp('second');
      const seenByTerminate: string[] = [];
      const kernel: Kernel<RequestScope> = {
        boot: async () => {},
        handle: async () => new Response('body'),
        terminate: async (_request, response) => void seenByTerminate.push(response.headers.get('x-finalized')!),
      };
      const served = await serveMode(httpMode({ container: withFinalizers(kernel, first, second) }));
      const reply = await served.fetch('/a');
      expect(reply).to.include({ status: 200, body: 'body' });
      expect(reply.headers['x-finalized']).to.deep.equal(['first, second']);
      expect(first.seen).to.deep.equal([{ path: '/a', status: 200, error: undefined, hasError: false }]);
      await served.stop();
      expect(seenByTerminate).to.deep.equal(['first, second']);
    });

    it('finalizes a streamed response before its first chunk: the header rides on the first frame', async () => {
      let produced = 0;
      const kernel = fetchKernel({
        fetch: () =>
          streamResponse(
            (async function* () {
              for (; produced < 3; produced++) yield `chunk ${produced}\n`;
            })(),
          ),
      });
      const finalizer = {
        finalizeResponse(response: Response) {
          expect(produced, 'the stream has not started').to.equal(0);
          response.headers.set('x-finalized', 'yes');
          return response;
        },
      };
      const served = await serveMode(httpMode({ container: withFinalizers(kernel, finalizer) }));
      const reply = await served.fetch('/stream');
      expect(reply.body).to.equal('chunk 0\nchunk 1\nchunk 2\n');
      expect(reply.headers['x-finalized']).to.deep.equal(['yes']);
      await served.stop();
    });

    it("finalizes the worker's own error pages too, telling the finalizer the error", async () => {
      const stamp = new Stamp('s');
      const clientError = new FileNotFoundError('/missing', 'does not exist');
      const kernel = fetchKernel({
        fetch: (request: Request) => {
          if (request.url.endsWith('/missing')) throw clientError;
          throw new Error('boom');
        },
      });
      const served = await serveMode(httpMode({ container: withFinalizers(kernel, stamp), production: true }));
      expect((await served.fetch('/missing')).headers['x-finalized']).to.deep.equal(['s']);
      expect((await served.fetch('/boom')).headers['x-finalized']).to.deep.equal(['s']);
      expect(stamp.seen.map(({ status, error, hasError }) => ({ status, error: error instanceof Error ? error.message : error, hasError }))).to.deep.equal([
        { status: 404, error: 'file response: "/missing" does not exist', hasError: true },
        { status: 500, error: 'boom', hasError: true },
      ]);
      await served.stop();
    });

    it('turns a throwing finalizer into the 500 page (logged and reported), cancelling the dropped body', async () => {
      let cancelled = false;
      const body = new ReadableStream({ pull: (c) => c.enqueue(new TextEncoder().encode('never sent')), cancel: () => void (cancelled = true) });
      const kernel = fetchKernel({ fetch: () => new Response(body) });
      const failing = { finalizeResponse: () => Promise.reject(new Error('session store down')) };
      const after = new Stamp('after');
      const served = await serveMode(httpMode({ container: withFinalizers(kernel, failing, after), production: true }));
      const reply = await served.fetch('/a?token=secret');
      expect(reply).to.include({ status: 500, body: '500 Internal Server Error\n' });
      expect(reply.headers['x-finalized'], 'finalizers do not run again on the error page').to.equal(undefined);
      expect(after.seen).to.deep.equal([]);
      expect(cancelled).to.equal(true);
      expect(served.reported.map((e) => (e as Error).message)).to.deep.equal(['session store down']);
      expect(served.logs.join('\n')).to.contain('GET /a failed').and.not.contain('token=secret');
      await served.stop();

      const rr = await serveMode(httpMode({ container: withFinalizers(fetchKernel({ fetch: () => new Response('x') }), failing), unhandledErrors: 'rr' }));
      expect(await rr.fetch('/a')).to.include({ status: -1, body: 'Error: session store down' });
      await rr.stop();
    });

    it('refuses, at boot, a finalizer without finalizeResponse, a request-scoped one, and a finalizer that returns no Response', async () => {
      const noMethod = await serveMode(httpMode({ container: withFinalizers(fetchKernel({ fetch: () => new Response('x') }), { finalize: () => {} }) }));
      expect((await noMethod.fetch('/')).status).to.equal(503);
      expect(noMethod.logs.join('\n')).to.contain('tagged HTTP_RESPONSE_FINALIZER has no finalizeResponse(response, context) method');
      await noMethod.stop();

      const scoped = createContainer({
        bindings: [
          httpRequestBinding,
          { id: HTTP_KERNEL, useValue: fetchKernel({ fetch: () => new Response('x') }) },
          { id: 'per.request', useFactory: () => new Stamp('r'), scope: 'request', tags: [HTTP_RESPONSE_FINALIZER] },
        ],
      });
      const scopedServed = await serveMode(httpMode({ container: scoped }));
      expect((await scopedServed.fetch('/')).status).to.equal(503);
      expect(scopedServed.logs.join('\n')).to.contain('is request-scoped').and.contain('make it a singleton');
      await scopedServed.stop();

      const returnsNothing = await serveMode(
        httpMode({ container: withFinalizers(fetchKernel({ fetch: () => new Response('x') }), { finalizeResponse: () => undefined }), production: true }),
      );
      expect((await returnsNothing.fetch('/')).status).to.equal(500);
      expect((returnsNothing.reported[0] as Error).message).to.contain('finalizeResponse() returned undefined, expected the Response to send');
      await returnsNothing.stop();
    });
  });
});

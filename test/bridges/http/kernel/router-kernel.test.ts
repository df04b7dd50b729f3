import { expect } from 'chai';
import { createContainer, Inject, Service } from '../../../../src/container/index.js';
import { EventDispatcher } from '../../../../src/runtime/events/event-dispatcher.js';
import {
  Controller,
  Get,
  HTTP_KERNEL,
  HTTP_REQUEST,
  HttpExceptionEvent,
  HttpRequestEvent,
  HttpResponseEvent,
  HttpTerminateEvent,
  httpMode,
  httpRequestBinding,
  Post,
  RouterKernel,
  type RouteContext,
} from '../../../../src/bridges/http/kernel/index.js';
import { HttpKernelConfigError } from '../../../../src/bridges/http/errors.js';
import { serveMode } from './support.js';

@Service({ scope: 'request' })
class Caller {
  constructor(@Inject(HTTP_REQUEST) readonly request: Request) {}
  name(): string {
    return this.request.headers.get('x-user') ?? 'anonymous';
  }
}

@Controller('/users')
@Service({ scope: 'request' })
class UserController {
  constructor(@Inject(Caller) private readonly caller: Caller) {}

  @Get('/:id')
  show(_request: Request, { params }: RouteContext): Response {
    return Response.json({ id: params.id, askedBy: this.caller.name() });
  }

  @Post('/')
  async create(request: Request): Promise<Response> {
    return new Response(`created ${await request.text()}`, { status: 201 });
  }

  @Get('/boom/now')
  boom(): Response {
    throw new Error('controller exploded');
  }

  @Get('/bad/result')
  bad(): Response {
    return 'not a response' as unknown as Response;
  }

  @Get('/bad/later')
  async badLater(): Promise<Response> {
    return 42 as unknown as Response;
  }
}

function app(events?: EventDispatcher, asyncContext = true) {
  const container = createContainer({
    asyncContext,
    services: [Caller, UserController],
    bindings: [httpRequestBinding, { id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [UserController], ...(events ? { events } : {}) }) }],
  });
  return serveMode(httpMode({ container, production: true }), { NODE_ENV: 'production' });
}

@Controller('/where')
@Service({ scope: 'request' })
class WhereController {
  @Get('/')
  where(request: Request, { url }: RouteContext): Response {
    const seen = { route: url.href, tab: url.searchParams.get('tab') };
    url.searchParams.set('tab', 'changed by the controller');
    return Response.json({ ...seen, request: request.url });
  }
}

describe('RouterKernel', () => {
  it('gives the route the request URL (the mapper’s parse, corrected through trusted proxies), one the controller may change', async () => {
    const container = createContainer({ services: [WhereController], bindings: [{ id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [WhereController] }) }] });
    const { fetch, stop } = await serveMode(httpMode({ container, production: true, request: { trustedProxies: ['127.0.0.1'], trustedHeaders: ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] } }), { NODE_ENV: 'production' });
    const proxied = JSON.parse((await fetch('/where/?tab=a%20b', { header: { 'X-Forwarded-Proto': ['https'], 'X-Forwarded-Host': ['shop.example'] } })).body);
    expect(proxied).to.deep.equal({ route: 'https://shop.example/where/?tab=a%20b', tab: 'a b', request: 'https://shop.example/where/?tab=a%20b' });
    const direct = JSON.parse((await fetch('/where/?tab=x')).body);
    expect(direct).to.deep.equal({ route: 'http://localhost/where/?tab=x', tab: 'x', request: 'http://localhost/where/?tab=x' });
    await stop();
  });

  it('serves request-scoped controllers and services with the container’s asyncContext off (no AsyncLocalStorage per request)', async () => {
    const { fetch, stop } = await app(undefined, false);
    const alice = await fetch('/users/42', { header: { 'X-User': ['alice'] } });
    const bob = await fetch('/users/7', { header: { 'X-User': ['bob'] } });
    expect(JSON.parse(alice.body)).to.deep.equal({ id: '42', askedBy: 'alice' });
    expect(JSON.parse(bob.body)).to.deep.equal({ id: '7', askedBy: 'bob' });
    await stop();
  });

  it('routes to controllers resolved from the request scope, with path params', async () => {
    const { fetch, stop } = await app();
    const alice = await fetch('/users/42', { header: { 'X-User': ['alice'] } });
    const bob = await fetch('/users/7', { header: { 'X-User': ['bob'] } });
    expect(JSON.parse(alice.body)).to.deep.equal({ id: '42', askedBy: 'alice' });
    expect(JSON.parse(bob.body)).to.deep.equal({ id: '7', askedBy: 'bob' });
    expect((await fetch('/users', { method: 'POST', body: 'carol' })).body).to.equal('created carol');
    await stop();
  });

  it('answers 404 for unknown paths and 405 with Allow for a known path and wrong method', async () => {
    const { fetch, stop } = await app();
    expect((await fetch('/nowhere')).status).to.equal(404);
    const wrong = await fetch('/users', { method: 'DELETE' });
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.allow).to.deep.equal(['POST']);
    await stop();
  });

  it('turns a throwing controller into a 500 without internals in production, and keeps serving', async () => {
    const { fetch, stop, logs } = await app();
    const failed = await fetch('/users/boom/now');
    expect(failed.status).to.equal(500);
    expect(failed.body).to.equal('500 Internal Server Error\n');
    expect(logs.join('\n')).to.contain('controller exploded');
    expect((await fetch('/users/1')).status).to.equal(200);
    await stop();
  });

  it('rejects a controller result that is not a Response with a typed error', async () => {
    const { fetch, stop, logs } = await app();
    expect((await fetch('/users/bad/result')).status).to.equal(500);
    expect(logs.join('\n')).to.contain('UserController.bad returned string, expected a Response');
    await stop();
  });

  it('checks an async controller result too, and always answers with a promise, never a throw', async () => {
    const { fetch, stop, logs } = await app();
    expect((await fetch('/users/bad/later')).status).to.equal(500);
    expect(logs.join('\n')).to.contain('UserController.badLater returned number, expected a Response');
    await stop();

    const container = createContainer({ services: [Caller, UserController], bindings: [httpRequestBinding] });
    const kernel = new RouterKernel({ controllers: [UserController] });
    await kernel.boot();
    const scope = container.createScope();
    scope.provide(HTTP_REQUEST, new Request('http://localhost/users/boom/now'));
    let answer: Promise<Response> | undefined;
    expect(() => (answer = kernel.handle(new Request('http://localhost/users/boom/now'), scope))).not.to.throw();
    const error = await answer!.then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).to.equal('controller exploded');
    await scope.dispose();
  });

  it('emits request, response, exception and terminate events', async () => {
    const events = new EventDispatcher();
    const seen: string[] = [];
    events.addListener(HttpRequestEvent, (event) => {
      seen.push(`request ${new URL(event.request.url).pathname}`);
      if (event.request.headers.get('x-maintenance')) event.response = new Response('maintenance', { status: 503 });
    });
    events.addListener(HttpResponseEvent, (event) => {
      event.response = new Response(event.response.body, { status: event.response.status, headers: { 'x-seen': 'yes' } });
    });
    events.addListener(HttpExceptionEvent, (event) => {
      seen.push(`exception ${(event.error as Error).message}`);
      event.response = Response.json({ error: 'handled' }, { status: 418 });
    });
    events.addListener(HttpTerminateEvent, (event) => void seen.push(`terminate ${event.response.status}`));
    const { fetch, stop } = await app(events);

    const ok = await fetch('/users/1');
    expect(ok.headers['x-seen']).to.deep.equal(['yes']);
    const maintenance = await fetch('/users/1', { header: { 'X-Maintenance': ['1'] } });
    expect(maintenance).to.include({ status: 503, body: 'maintenance' });
    const handled = await fetch('/users/boom/now');
    expect(handled).to.include({ status: 418, body: '{"error":"handled"}' });
    await stop();
    expect(seen).to.deep.equal([
      'request /', // production: early router initialization's warm-up request, at boot
      'request /users/1',
      'terminate 200',
      'request /users/1',
      'terminate 503',
      'request /users/boom/now',
      'exception controller exploded',
      'terminate 418',
    ]);
  });

  it('reports a controller without routes at boot, naming it', async () => {
    @Controller('/empty')
    class EmptyController {}
    const kernel = new RouterKernel({ controllers: [EmptyController] });
    const error = await kernel.boot().then(() => undefined, (e) => e);
    expect(error).to.be.instanceOf(HttpKernelConfigError);
    expect(error.message).to.contain('controller EmptyController declares no routes');
  });
});

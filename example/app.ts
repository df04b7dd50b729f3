/**
 * The example application: a container with a request-scoped service and a Resettable singleton,
 * served on rr's http pool by a Fetch handler. `npm run example` serves it on 127.0.0.1:8080.
 *
 *   curl http://127.0.0.1:8080/             plain text, with the worker's pid and your address
 *   curl http://127.0.0.1:8080/stream       a streamed response, one line every 200 ms
 *   curl -d 'hi' http://127.0.0.1:8080/echo echoes the request body
 *   curl http://127.0.0.1:8080/stats        per-request id and a counter reset after every request
 */
import {
  createContainer,
  createHttpHandler,
  currentScope,
  defineApp,
  Inject,
  scopedMode,
  Service,
  UNIT_OF_WORK,
  unitOfWorkBinding,
  type UnitOfWork,
} from 'roadrunner-runtime';

/** One per request: built lazily in the request's scope, dropped with it. */
@Service({ scope: 'request' })
class RequestInfo {
  readonly startedAt = performance.now();
  constructor(@Inject(UNIT_OF_WORK) readonly unit: UnitOfWork) {}
}

/** A singleton that keeps per-request state, so it is Resettable: cleared after every request. */
@Service()
class QueryCounter {
  queries = 0;
  reset(): void {
    this.queries = 0;
  }
}

const container = createContainer({ services: [RequestInfo, QueryCounter], bindings: [unitOfWorkBinding] });
const encoder = new TextEncoder();

async function* countdown(from: number) {
  for (let i = from; i > 0; i--) {
    yield encoder.encode(`${i}...\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  yield encoder.encode('lift-off\n');
}

const http = createHttpHandler(async (request, { message }) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case '/':
      return new Response(`Hello from a Node worker (pid ${process.pid}) behind RoadRunner; you are ${message.remoteAddr}\n`);
    case '/echo':
      return new Response(await request.arrayBuffer(), { headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' } });
    case '/stream':
      return new Response(ReadableStream.from(countdown(5)), { headers: { 'content-type': 'text/plain' } });
    case '/stats': {
      const counter = container.get(QueryCounter);
      counter.queries += 3;
      const info = currentScope().get(RequestInfo);
      const elapsed = (performance.now() - info.startedAt).toFixed(3);
      return Response.json({ pid: process.pid, queriesThisRequest: counter.queries, elapsedMs: Number(elapsed) });
    }
    default:
      return new Response('not found\n', { status: 404 });
  }
});

export default defineApp({
  modes: {
    http: (context) => scopedMode(context, { container, handle: http }),
  },
});

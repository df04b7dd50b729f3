/**
 * The example application: one `defineApp` serving rr's http pool with a Fetch handler.
 *
 *   curl http://127.0.0.1:8080/             plain text, with the worker's pid
 *   curl http://127.0.0.1:8080/stream       a streamed response, one line every 200 ms
 *   curl -d 'hi' http://127.0.0.1:8080/echo echoes the request body
 */
import { defineApp } from '../src/runtime/app/define-app.js';
import { createHttpHandler } from '../src/bridges/http/http-handler.js';

const encoder = new TextEncoder();

async function* countdown(from: number) {
  for (let i = from; i > 0; i--) {
    yield encoder.encode(`${i}...\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  yield encoder.encode('lift-off\n');
}

const handle = createHttpHandler(async (request, { message }) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case '/':
      return new Response(`Hello from a Node worker (pid ${process.pid}) behind RoadRunner; you are ${message.remoteAddr}\n`);
    case '/echo':
      return new Response(await request.arrayBuffer(), { headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' } });
    case '/stream':
      return new Response(ReadableStream.from(countdown(5)), { headers: { 'content-type': 'text/plain' } });
    default:
      return new Response('not found\n', { status: 404 });
  }
});

export default defineApp({
  modes: {
    http: () => ({ handle }),
  },
});

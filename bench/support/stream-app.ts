/**
 * bench:stream's app: `GET /file` answers with `fileResponse` of the file named by
 * STREAM_BENCH_FILE (from rr's server.env); `GET /` answers rr's readiness probe.
 */
import { createContainer, defineApp, fetchKernel, HTTP_KERNEL, httpMode } from '../../src/index.js';
import { fileResponse } from '../../src/bridges/http/index.js';

const app = {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/file') return fileResponse(process.env.STREAM_BENCH_FILE!, { request });
    return new Response('ready');
  },
};

const container = createContainer({ bindings: [{ id: HTTP_KERNEL, useValue: fetchKernel(app) }] });

export default defineApp({ modes: { http: httpMode({ container, lazyBoot: false }) } });

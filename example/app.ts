/**
 * The example application: every piece of the HTTP bridge in one small app. `npm run example`
 * serves it under rr on http://127.0.0.1:8080.
 *
 *   curl http://127.0.0.1:8080/                        plain text: worker pid and your address
 *   curl -i -c jar -d user=ada http://127.0.0.1:8080/login   a session login (cookie in ./jar); JSON {"user":"ada"} works too
 *   curl -b jar http://127.0.0.1:8080/me               who the session says you are
 *   curl -b jar -X POST http://127.0.0.1:8080/logout   ends the session
 *   curl -N http://127.0.0.1:8080/countdown            a generator stream, one line every 200 ms
 *   curl http://127.0.0.1:8080/numbers?count=100000    a large JSON array, streamed, never built in memory
 *   curl -r 0-99 http://127.0.0.1:8080/download        a file download; -r asks for a byte range (206)
 *   curl http://127.0.0.1:8080/stats                   a request-scoped service and a Resettable singleton
 *   curl -X POST http://127.0.0.1:8080/visits          a counter in rr's KV storage, shared by every worker
 *   curl -X POST -d '{"to":"ada@example.com"}' -H 'content-type: application/json' http://127.0.0.1:8080/jobs/welcome
 *                                                      a job pushed over HTTP, consumed by the jobs worker (example/jobs.ts)
 *   curl -H 'content-type: application/json' -d '{"text":"hi"}' http://127.0.0.1:8080/chat/lobby
 *                                                       publishes to Centrifugo (example/centrifugo.ts)
 *   curl http://127.0.0.1:8080/greet/Ada               runs a Temporal workflow; its activity uses an injected service
 *
 * Sessions (`kv.sessions`, BoltDB) and the visit counter (`kv.local`, memory) live in rr's KV
 * storages (example/.rr.yaml), so both workers see them and they survive `rr reset`.
 *
 * Temporal: roadrunner.yaml lists the greeting workflow and activity (example/temporal/); rr's
 * `service` plugin runs this same module's `temporal` export as the Temporal worker process, and
 * scripts/example.sh starts a Temporal dev server for it.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Controller,
  createContainer,
  defineApp,
  Get,
  HTTP_KERNEL,
  HTTP_REQUEST,
  httpMode,
  httpRequestBinding,
  Inject,
  loadRuntimeConfig,
  Post,
  RouterKernel,
  Service,
  type RouteContext,
} from 'roadrunner-runtime';
import { fileResponse, jsonStreamResponse, REQUEST_CONTEXT, requestContextBinding, streamResponse, type RequestContext } from 'roadrunner-runtime/http';
import { centrifugoBindings, centrifugeMode } from 'roadrunner-runtime/centrifugo';
import { discoverKvBindings, KvSessionStore, RrKvCache } from 'roadrunner-runtime/kv';
import { Session, sessionBindings } from 'roadrunner-runtime/session';
import { jobsMode } from 'roadrunner-runtime/jobs';
import { exampleJobsBindings, JobsController, jobsServices, SendWelcomeMail } from './jobs.js';
import { ChatController, ChatListener } from './centrifugo.js';
import { TEMPORAL_CLIENT, temporalBindings, temporalWorkers, type TemporalClient } from 'roadrunner-runtime/temporal';
import { Greeter } from './temporal/greeter.js';
import { greetingWorkflow } from './temporal/greeting-workflow.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PUBLIC_DIR = join(HERE, 'public');

/** One per request: built lazily in the request's scope, dropped with it. */
@Service({ scope: 'request' })
class RequestClock {
  readonly startedAt = performance.now();
  constructor(@Inject(HTTP_REQUEST) readonly request: Request) {}
  elapsedMs(): number {
    return Number((performance.now() - this.startedAt).toFixed(3));
  }
}

/** A singleton that keeps per-request state, so it is Resettable: cleared after every request. */
@Service({ resettable: true })
class QueryCounter {
  queries = 0;
  reset(): void {
    this.queries = 0;
  }
}

/** The `user` field of a form or JSON body; undefined when the body is neither or has none. */
async function userField(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return ((await request.json().catch(() => undefined)) as { user?: unknown } | undefined)?.user;
  if (type.includes('form')) return (await request.formData()).get('user');
  return undefined;
}

@Controller()
@Service({ scope: 'request' })
class ExampleController {
  constructor(
    @Inject(Session) private readonly session: Session,
    @Inject(REQUEST_CONTEXT) private readonly context: RequestContext,
    @Inject(RequestClock) private readonly clock: RequestClock,
    @Inject(QueryCounter) private readonly counter: QueryCounter,
    // Every storage under `kv:` in .rr.yaml is the container service cache.adapter.rr_kv.<NAME>.
    @Inject('cache.adapter.rr_kv.local') private readonly cache: RrKvCache,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClient,
  ) {}

  @Get('/')
  home(): Response {
    return new Response(`Hello from a Node worker (pid ${process.pid}) behind RoadRunner; you are ${this.context.clientAddress}\n`);
  }

  @Post('/login')
  async login(request: Request): Promise<Response> {
    const user = await userField(request);
    if (typeof user !== 'string' || user === '') return Response.json({ error: 'send user=name (a form) or {"user":"name"} (JSON)' }, { status: 400 });
    await this.session.regenerate(); // a new id for the new privilege level
    await this.session.set('user', user);
    return Response.json({ loggedIn: user });
  }

  @Get('/me')
  async me(): Promise<Response> {
    return Response.json({ user: (await this.session.get('user')) ?? null });
  }

  @Post('/logout')
  async logout(): Promise<Response> {
    await this.session.destroy();
    return new Response(null, { status: 204 });
  }

  @Get('/countdown')
  countdown(): Response {
    return streamResponse(
      async function* () {
        for (let i = 5; i > 0; i--) {
          yield `${i}...\n`;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        yield 'lift-off\n';
      },
      { headers: { 'content-type': 'text/plain; charset=utf-8' } },
    );
  }

  @Get('/numbers')
  numbers(_request: Request, { url }: RouteContext): Response {
    const count = Math.min(Number(url.searchParams.get('count') ?? '1000') || 0, 10_000_000);
    return jsonStreamResponse({
      count,
      items: (function* () {
        for (let i = 0; i < count; i++) yield { n: i, square: i * i };
      })(),
    });
  }

  @Post('/visits')
  async visits(): Promise<Response> {
    // Read-then-write is not atomic across workers: fine for a demo counter, not for money.
    const visits = ((await this.cache.get<number>('visits')) ?? 0) + 1;
    await this.cache.set('visits', visits, 3600);
    return Response.json({ visits, pid: process.pid });
  }

  @Get('/greet/:name')
  async greet(_request: Request, { params }: RouteContext): Promise<Response> {
    // Started on the task queue of temporal.workers.default; awaits the workflow's result.
    const greeting = await this.temporal.execute(greetingWorkflow, { workflowId: `greeting-${randomUUID()}`, args: [params['name'] ?? 'world'] });
    return Response.json({ greeting, httpWorkerPid: process.pid });
  }

  @Get('/download')
  download(request: Request): Promise<Response> {
    return fileResponse('sample.txt', { root: PUBLIC_DIR, request, disposition: 'attachment' });
  }

  @Get('/stats')
  stats(): Response {
    this.counter.queries += 3; // reset to 0 after every request, so this always reports 3
    return Response.json({
      pid: process.pid,
      path: new URL(this.clock.request.url).pathname,
      queriesThisRequest: this.counter.queries,
      elapsedMs: this.clock.elapsedMs(),
    });
  }
}

const runtimeConfig = await loadRuntimeConfig({ projectDir: HERE }); // example/roadrunner.yaml

/** Exported for the app's tests, which override services in it (test/example/example-kit.test.ts). */
export const container = createContainer({
  services: [RequestClock, QueryCounter, ExampleController, ChatController, ChatListener, Greeter, ...jobsServices],
  bindings: [
    ...exampleJobsBindings,
    httpRequestBinding,
    requestContextBinding,
    // Asks the running rr for its KV storages (rr_config_path's file when rr does not answer);
    // nothing connects until a cache is used. JSON values (the default, spelled out), readable by
    // anything that reads the storage.
    ...(await discoverKvBindings({ projectDir: HERE, runtimeConfig: { kv: { serializer: 'json' } } })),
    // Sessions in rr KV: every worker sees every session. (connect-redis through
    // ExpressStoreAdapter works too.) Each session a request used is committed onto its response.
    ...sessionBindings({ factory: { store: new KvSessionStore(new RrKvCache({ storage: 'sessions' })), cookie: { secure: 'auto' } } }),
    // CentrifugoApi (publish from HTTP routes, jobs, listeners) over rr's centrifuge.* RPC.
    ...centrifugoBindings(),
    // The Temporal activities of roadrunner.yaml as container services, and TEMPORAL_CLIENT.
    ...(await temporalBindings({ runtimeConfig, projectDir: HERE })),
    { id: HTTP_KERNEL, useFactory: () => new RouterKernel({ controllers: [ExampleController, ChatController, JobsController] }) },
  ],
});

export default defineApp({
  modes: {
    // Behind a load balancer, list it here so X-Forwarded-* from it are believed (and only from it):
    // httpMode({ container, request: { trustedProxies: ['10.0.0.0/8'] } })
    http: httpMode({ container }),
    jobs: jobsMode({ container, handlers: [SendWelcomeMail] }),
    // Centrifugo's proxy calls (connect, subscribe, RPC), through rr's centrifuge plugin.
    centrifuge: centrifugeMode({ container, listeners: [ChatListener] }),
  },
});

/** The Temporal worker process (.rr.yaml's `service.temporal`) runs this. */
export const temporal = temporalWorkers({ container });

/**
 * roadrunner-runtime: run Node.js applications as RoadRunner workers.
 *
 * rr starts `node node_modules/roadrunner-runtime/dist/bin/worker.js dist/app.js` (its `server.command`);
 * the worker guards stdout, imports the app module and serves the pool named by `RR_MODE`:
 *
 * ```ts
 * // app.ts
 * import { createContainer, createHttpHandler, defineApp, scopedMode, Service } from 'roadrunner-runtime';
 *
 * @Service()
 * class Greeter {
 *   greet(name: string) { return `hello ${name}`; }
 * }
 *
 * const container = createContainer({ services: [Greeter] });
 * const http = createHttpHandler((request) =>
 *   new Response(container.get(Greeter).greet(new URL(request.url).searchParams.get('name') ?? 'world')));
 *
 * export default defineApp({
 *   modes: {
 *     // one unit of work = one request scope = one reset of the Resettable singletons
 *     http: (context) => scopedMode(context, { container, handle: http }),
 *   },
 * });
 * ```
 *
 * The DI layer is also available alone as `roadrunner-runtime/container`, the runtime pieces
 * (frames, relays, RPC client, config, events) as `roadrunner-runtime/runtime`, the HTTP bridge
 * as `roadrunner-runtime/http`.
 *
 * @module
 */
export {
  createContainer,
  createToken,
  currentScope,
  findCurrentScope,
  Inject,
  Optional,
  restoreOverridesAfterEach,
  Service,
  ServicesResetter,
} from './container/index.js';
export type { Binding, Container, RequestScope, Resettable, ServiceId, ServiceScope, Token } from './container/index.js';
export {
  AsEventListener,
  BootError,
  ConfigError,
  defineApp,
  EventDispatcher,
  loadRrConfig,
  loadRuntimeConfig,
  RpcClient,
  RuntimeError,
  StoppableEvent,
  UnitOfWork,
  WorkerErrorEvent,
  WorkerStartEvent,
  WorkerStopEvent,
} from './runtime/index.js';
export type { Kernel, ModeContext, ModeFactory, ModeWorker, RuntimeConfig, WorkerApp } from './runtime/index.js';
export { scopedMode, UNIT_OF_WORK, unitOfWorkBinding } from './runtime/index.js';
export type { ScopedModeOptions } from './runtime/index.js';
export {
  Controller,
  createHttpHandler,
  Delete,
  earlyHints,
  fileResponse,
  jsonStreamResponse,
  REQUEST_CONTEXT,
  requestContextBinding,
  streamResponse,
  fetchKernel,
  Get,
  HTTP_KERNEL,
  HTTP_REQUEST,
  HTTP_RESPONSE_FINALIZER,
  HttpExceptionEvent,
  httpMode,
  httpRequestBinding,
  HttpRequestEvent,
  HttpResponseEvent,
  HttpTerminateEvent,
  isWarmupRequest,
  Patch,
  Post,
  Put,
  Route,
  RouterKernel,
} from './bridges/http/index.js';
export type { FetchHandler, HttpFinalizeContext, HttpModeOptions, HttpRequestInfo, HttpResponseFinalizer, RequestContext, RouteContext, RouterKernelOptions } from './bridges/http/index.js';
// Types the public signatures above mention, so users can name them (and the API reference links them).
export type { CentrifugoRuntimeConfig, HttpRuntimeConfig, JobsRetryConfig, JobsRuntimeConfig, KvRuntimeConfig, KvSerializerName, RuntimeConfigInput, TemporalRuntimeConfig, TemporalTlsConfig, TemporalWorkerConfig } from './runtime/config/runtime-config.js';
export type { AsEventListenerOptions } from './runtime/events/as-event-listener.js';

import { randomUUID } from 'node:crypto';
import { ServiceNotFoundError, type Container, type Override, type OverrideHandle, type ServiceId } from '../container/index.js';
import type { ModeFactory, WorkerApp, WorkerMode } from '../runtime/app/define-app.js';
import { runApp } from '../runtime/app/run-app.js';
import type { BootFailureAnswer } from '../runtime/app/boot-failure.js';
import { loadRuntimeConfig } from '../runtime/config/load-runtime-config.js';
import type { RuntimeConfigInput } from '../runtime/config/runtime-config.js';
import { EventDispatcher } from '../runtime/events/event-dispatcher.js';
import { WorkerErrorEvent } from '../runtime/events/lifecycle-events.js';
import { FrameFlag, StreamFlag } from '../runtime/goridge/flags.js';
import type { Frame } from '../runtime/goridge/frame.js';
import { decodeHttpResponse, encodeHttpRequest } from '../bridges/http/proto/http-v1.js';
import { answerHttpUnavailable } from '../bridges/http/kernel/answer-http-unavailable.js';
import { answerJobsUnavailable } from '../bridges/jobs/answer-jobs-unavailable.js';
import type { JobReply } from '../bridges/jobs/job-reply.js';
import type { JobHeaders } from '../bridges/jobs/proto/jobs-v1.js';
import { answerCentrifugoUnavailable } from '../bridges/centrifugo/answer-centrifugo-unavailable.js';
import {
  decodeProxyResponse,
  encodeProxyRequest,
  type ProxyCallType,
  type ProxyRequestMessages,
  type ProxyResponseMessage,
  type ProxyResultMessages,
} from '../bridges/centrifugo/proto/proxy-v1.js';
import { TestWorkerBootError, TestWorkerError } from './errors.js';
import { loadAppModule, type AppModule } from './load-app-module.js';
import { MemoryPeer } from './memory-peer.js';
import { toRrHttpRequest, type RrHttpRequestOptions } from './rr-http-request.js';

/**
 * What {@link startTestWorker} runs: the app (`defineApp`'s result), one mode factory, or the path
 * or URL of the app module, which is then imported afresh for this worker (as rr starts a new
 * process for each worker), so module-level state such as the app's container is its own.
 */
export type TestWorkerApp = WorkerApp | ModeFactory | string | URL;

/** Options of {@link startTestWorker}. */
export interface TestWorkerOptions {
  /** The `RR_MODE` to serve: `http`, `jobs` or `centrifuge`. */
  mode: WorkerMode;
  /**
   * Container overrides for this worker, applied before the mode boots and undone by `close()`:
   * `[[id, { useValue }], [OtherId, { useClass }]]` (see `Container.override`). With a module
   * path, a function of the freshly loaded module can pick ids that module defines itself (its
   * tokens and classes are that load's own): `(module) => [[module.GREETING, { useValue }]]`.
   */
  overrides?: TestOverrides | ((module: AppModule) => TestOverrides) | undefined;
  /**
   * The container the overrides apply to (the one the app's modes use). With a module path, a
   * function picks it from the module's exports; default: the module's `container` export.
   */
  container?: Container | ((module: AppModule) => Container) | undefined;
  /**
   * The environment the mode sees (`ModeContext.env`), over `process.env`. `RR_MODE` is set to
   * `mode`. `NODE_ENV: 'development'` turns on error details, as under rr.
   */
  env?: NodeJS.ProcessEnv | undefined;
  /** Runtime config keys in code, over the app's `defineApp({ config })` and `roadrunner.yaml`. */
  config?: RuntimeConfigInput | undefined;
  /** Where `roadrunner.yaml` is looked for (relative paths in it resolve there). Default `process.cwd()`. */
  projectDir?: string | undefined;
  /**
   * `throw` (default): a failing boot rejects `startTestWorker` with {@link TestWorkerBootError}
   * naming the cause. `serve`: the worker answers every unit the mode's safe way (HTTP 503, jobs
   * requeue, Centrifugo 100), as under rr, to test exactly that.
   */
  bootFailure?: 'throw' | 'serve' | undefined;
  /** Defaults for every HTTP request: client address, protocol, attributes, `http.raw_body`. */
  http?: RrHttpRequestOptions | undefined;
}

/** `[id, replacement]` pairs for `Container.override`. */
export type TestOverrides = Iterable<readonly [ServiceId<any>, Override<any>]>;

/** An HTTP reply as the test kit hands it back: a Fetch `Response` plus what rr saw besides. */
export interface TestResponse extends Response {
  /** The 1xx responses (103 Early Hints) sent before the final one, in order. */
  readonly informational: ReadonlyArray<{ status: number; headers: Headers }>;
  /**
   * The text of the ERROR frame when the worker failed the request instead of answering it (rr then
   * answers `http.internal_error_code`, a 500, which `status` shows); undefined otherwise.
   */
  readonly workerError: string | undefined;
}

/** A job as a driver hands it to the worker; only `job` is required. */
export interface TestJob {
  /** The job name (what handlers are routed by). */
  job: string;
  /** The payload: bytes and strings as they are, anything else as JSON. Default `{}`. */
  payload?: unknown;
  /** Default: a random UUID. */
  id?: string | undefined;
  /** Default `null`, as rr sends no headers. */
  headers?: JobHeaders | null | undefined;
  /** Default `default`. */
  pipeline?: string | undefined;
  /** Default `memory`. */
  driver?: string | undefined;
  queue?: string | undefined;
  topic?: string | undefined;
  partition?: number | undefined;
  offset?: number | undefined;
}

/**
 * What rr does with a job after the worker's reply: `ack`, `nack` (with `requeue` and
 * `delaySeconds`), `requeue` (with `headers`), or `error` when the worker answered with an ERROR
 * frame, which rr treats as a failed job (the driver's plain nack).
 */
export type JobOutcome = JobReply | { readonly type: 'error'; readonly message: string };

/** A Centrifugo proxy request; `data` may be given as a string or any JSON value. */
export type TestProxyRequest<T extends ProxyCallType> = Omit<Partial<ProxyRequestMessages[T]>, 'data'> & { data?: unknown };

/** The decoded proxy reply rr passes on to Centrifugo. */
export type TestProxyReply<T extends ProxyCallType> = ProxyResponseMessage<ProxyResultMessages[T]>;

/** The `type` rr's centrifuge plugin names each proxy call with (`sub_refresh` without the underscore). */
export const RR_PROXY_TYPES: Record<ProxyCallType, string> = {
  connect: 'connect',
  refresh: 'refresh',
  subscribe: 'subscribe',
  publish: 'publish',
  rpc: 'rpc',
  sub_refresh: 'subrefresh',
};

// The bridges' answers while a worker cannot boot, as the worker entry (src/bin/worker.ts) gives them.
const BOOT_FAILURE_ANSWERS: Readonly<Record<string, BootFailureAnswer>> = {
  http: answerHttpUnavailable,
  jobs: answerJobsUnavailable,
  centrifuge: answerCentrifugoUnavailable,
};

// Statuses a Fetch Response must have no body with.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Starts an app's worker in-process for a test: the app's mode boots as under rr (runtime config,
 * mode factory, lifecycle events), then the real worker loop (`runApp` and `Worker`) serves units
 * sent by an in-memory rr peer over the goridge codec: the code path rr drives, with no rr, process
 * or socket. Send units with {@link TestWorker.fetch}, {@link TestWorker.job} and
 * {@link TestWorker.centrifugo}; units are served one at a time, as by one rr worker.
 *
 * Needs no test framework: it works under mocha, `node:test`, vitest or plain node.
 *
 * ```ts
 * const worker = await startTestWorker('src/app.ts', { mode: 'http', overrides: [[Mailer, { useValue: fakeMailer }]] });
 * try {
 *   const response = await worker.fetch('/hello/ada');
 *   assert.equal(response.status, 200);
 * } finally {
 *   await worker.close();
 * }
 * ```
 *
 * @throws TestWorkerError when the app serves no such mode; {@link TestWorkerBootError} when its
 *   boot failed (unless `bootFailure: 'serve'`).
 */
export async function startTestWorker(app: TestWorkerApp, options: TestWorkerOptions): Promise<TestWorker> {
  const mode = options.mode;
  let module: AppModule | undefined;
  let workerApp: WorkerApp;
  if (typeof app === 'string' || app instanceof URL) {
    module = await loadAppModule(app);
    workerApp = module.default as WorkerApp;
  } else if (typeof app === 'function') {
    workerApp = { modes: { [mode]: app } };
  } else {
    workerApp = app;
  }

  const handles: OverrideHandle[] = [];
  let overrides: Array<readonly [ServiceId<any>, Override<any>]>;
  if (typeof options.overrides === 'function') {
    if (!module) throw new TestWorkerError('options.overrides is a function of the app module, but the app was given as an object: pass the pairs themselves');
    overrides = [...options.overrides(module)];
  } else {
    overrides = [...(options.overrides ?? [])];
  }
  if (overrides.length > 0) {
    const container = pickContainer(options.container, module);
    try {
      for (const [id, replacement] of overrides) handles.push(container.override(id, replacement));
    } catch (error) {
      restoreAll(handles);
      if (module && error instanceof ServiceNotFoundError) {
        throw new TestWorkerError(
          `${error.message}. The app module was imported afresh (import()) for this worker; an id your test imported may be a second copy of it ` +
            '(mocha with tsx loads test files through require: import such ids with `await import()`, or pass overrides as (module) => [[module.TOKEN, ...]])',
          { cause: error },
        );
      }
      throw error;
    }
  }
  return TestWorker.start(workerApp, mode, options, handles);
}

/** A running in-process worker; see {@link startTestWorker}. `await using` closes it. */
export class TestWorker implements AsyncDisposable {
  /** The mode it serves. */
  readonly mode: WorkerMode;
  /** rr's side of the pipe: every frame the worker sent is in `peer.sent`. */
  readonly peer = new MemoryPeer();
  /** What the worker logged (to rr's log under rr), boot and error lines included. */
  readonly logs: string[] = [];
  /** Errors the worker reported as `WorkerErrorEvent`s: failed units and errors a bridge answered itself (a 500 page, a nacked job). */
  readonly errors: unknown[] = [];

  private readonly httpDefaults: RrHttpRequestOptions;
  private readonly handles: OverrideHandle[];
  private exit!: Promise<number>;
  private exited: { code: number } | undefined;
  private cursor = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<number> | undefined;

  private constructor(mode: WorkerMode, options: TestWorkerOptions, handles: OverrideHandle[]) {
    this.mode = mode;
    this.httpDefaults = options.http ?? {};
    this.handles = handles;
  }

  /** @internal Use {@link startTestWorker}. */
  static async start(app: WorkerApp, mode: WorkerMode, options: TestWorkerOptions, handles: OverrideHandle[]): Promise<TestWorker> {
    const worker = new TestWorker(mode, options, handles);
    try {
      await worker.boot(app, options);
    } catch (error) {
      restoreAll(handles);
      throw error;
    }
    return worker;
  }

  /** The worker's exit code once its loop ended (after `close()`), else undefined. */
  get exitCode(): number | undefined {
    return this.exited?.code;
  }

  /**
   * Sends one HTTP request through the worker, as rr's http plugin would (see `toRrHttpRequest`), and
   * resolves with the response once its status arrived; a streamed body keeps arriving through
   * `response.body`. Cancelling the body sends rr's STOP (the client went away). A path alone is
   * resolved against `http://localhost`.
   */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<TestResponse> {
    this.expectMode('http', 'fetch');
    const request = input instanceof Request && init === undefined ? input : new Request(typeof input === 'string' && input.startsWith('/') ? `http://localhost${input}` : input, init);
    let head!: (response: TestResponse) => void;
    let failHead!: (error: unknown) => void;
    const response = new Promise<TestResponse>((resolve, reject) => ((head = resolve), (failHead = reject)));
    this.enqueue(async () => {
      let encoded;
      try {
        encoded = await toRrHttpRequest(request, this.httpDefaults);
      } catch (error) {
        failHead(error);
        return;
      }
      try {
        this.peer.request(encodeHttpRequest(encoded.message), encoded.body, FrameFlag.CODEC_PROTO);
        await this.readHttpReply(head, encoded.cleanup);
      } catch (error) {
        failHead(error);
      } finally {
        await encoded.cleanup();
      }
    });
    return response;
  }

  /** Sends one job as rr's jobs plugin would and resolves with what rr would do with it. */
  job(job: TestJob): Promise<JobOutcome> {
    this.expectMode('jobs', 'job');
    const context = JSON.stringify({
      id: job.id ?? randomUUID(),
      job: job.job,
      driver: job.driver ?? 'memory',
      headers: job.headers ?? null,
      pipeline: job.pipeline ?? 'default',
      ...(job.queue === undefined ? {} : { queue: job.queue }),
      ...(job.topic === undefined ? {} : { topic: job.topic }),
      ...(job.partition === undefined ? {} : { partition: job.partition }),
      ...(job.offset === undefined ? {} : { offset: job.offset }),
    });
    return this.enqueue(async () => {
      this.peer.request(context, bytesOf(job.payload ?? {}), FrameFlag.CODEC_RAW);
      return readJobReply(job.job, await this.nextFrame());
    });
  }

  /**
   * Sends one Centrifugo proxy call as rr's centrifuge plugin would (metadata JSON with `type` as
   * the context, the protobuf request as the body) and resolves with the decoded reply.
   */
  centrifugo<T extends ProxyCallType>(type: T, request?: TestProxyRequest<T>, metadata: Record<string, string[]> = {}): Promise<TestProxyReply<T>> {
    this.expectMode('centrifuge', 'centrifugo');
    const { data, ...rest } = (request ?? {}) as TestProxyRequest<T>;
    const message = {
      client: 'test-client',
      transport: 'websocket',
      protocol: 'json',
      encoding: 'json',
      ...rest,
      ...(data === undefined ? {} : { data: bytesOf(data) }),
    } as Partial<ProxyRequestMessages[T]>;
    return this.enqueue(async () => {
      this.peer.request(JSON.stringify({ ...metadata, type: [RR_PROXY_TYPES[type]] }), encodeProxyRequest(type, message), FrameFlag.CODEC_PROTO);
      const frame = await this.nextFrame();
      if (frame.flags & FrameFlag.ERROR) throw new TestWorkerError(`the worker answered the centrifuge ${type} call with an ERROR frame: ${frame.payload.toString()}`);
      return decodeProxyResponse(type, frame.payload.subarray(frame.options[0] ?? 0));
    });
  }

  /**
   * Stops the worker the way rr does (CONTROL stop: the current unit finishes, then the mode's
   * shutdown runs, which disposes a scoped mode's container) and undoes this worker's overrides.
   * Resolves with the worker's exit code. Idempotent.
   */
  close(): Promise<number> {
    this.closing ??= (async () => {
      await this.queue;
      if (!this.peer.closed) this.peer.controlStop();
      try {
        return await this.exit;
      } finally {
        restoreAll(this.handles);
      }
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async boot(app: WorkerApp, options: TestWorkerOptions): Promise<void> {
    const mode = this.mode;
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, RR_MODE: mode };
    const log = (line: string) => void this.logs.push(line);
    // A mode factory that throws, or a bridge's factory that caught its own failure, both end in
    // bootFailed, which logs this line once at error level.
    let bootFailureLine: string | undefined;
    const logError = async (line: string) => {
      if (bootFailureLine === undefined && / worker failed to boot /.test(line)) bootFailureLine = line;
      log(line);
    };
    let bootError: unknown;
    const factory = app.modes[mode];
    const modes = factory
      ? {
          ...app.modes,
          [mode]: async (context: Parameters<ModeFactory>[0]) => {
            try {
              return await factory(context);
            } catch (error) {
              bootError = error;
              throw error;
            }
          },
        }
      : app.modes;
    const errors = this.errors;
    const inner = app.events;
    // Sees every error the worker reports, then hands the event to the app's own listeners.
    const events = new (class extends EventDispatcher {
      override async dispatch<E extends object>(event: E): Promise<E> {
        if (event instanceof WorkerErrorEvent) errors.push(event.error);
        return inner ? inner.dispatch(event) : event;
      }
    })();
    let config;
    if (options.config !== undefined || options.projectDir !== undefined) {
      try {
        config = await loadRuntimeConfig({ env, ...(options.projectDir === undefined ? {} : { projectDir: options.projectDir }), overrides: { ...app.config, ...options.config } });
      } catch (error) {
        if (options.bootFailure !== 'serve') throw new TestWorkerBootError(`the ${mode} worker's runtime config is invalid: ${describe(error)}`, { cause: error });
      }
    }
    let connected!: () => void;
    const connecting = new Promise<void>((resolve) => (connected = resolve));
    this.exit = runApp(
      { ...app, modes, events },
      {
        env,
        log,
        logError,
        handleSignals: false,
        // An uncaught error belongs to the test framework here, not to a process-wide handler.
        handleUncaught: false,
        bootFailureAnswers: BOOT_FAILURE_ANSWERS,
        ...(config === undefined ? {} : { config }),
        connect: () => {
          connected();
          return this.peer.transport;
        },
      },
    ).then((code) => {
      this.exited = { code };
      return code;
    });
    const first = await Promise.race([connecting.then(() => 'connected' as const), this.exit.then(() => 'exited' as const)]);
    if (first === 'exited') {
      throw new TestWorkerError(`the app's ${mode} worker did not start: ${this.logs.join('; ') || `exit code ${this.exited?.code}`}`);
    }
    if (bootFailureLine !== undefined && options.bootFailure !== 'serve') {
      this.peer.end();
      await this.exit;
      const cause = bootError ?? this.errors[0];
      throw new TestWorkerBootError(`${bootFailureLine.replace(/^roadrunner-runtime: /, '')} (start it with { bootFailure: 'serve' } to test that answer)`, cause === undefined ? {} : { cause });
    }
    // rr's first frame to a new worker: the pid handshake.
    this.peer.pid();
    const reply = await this.nextFrame();
    if (!(reply.flags & FrameFlag.CONTROL)) throw new TestWorkerError(`the worker answered the pid handshake with a non-CONTROL frame (flags ${reply.flags})`);
  }

  private expectMode(mode: string, method: string): void {
    if (this.mode !== mode) throw new TestWorkerError(`${method}() sends ${mode} units, but this test worker serves the ${this.mode} mode: start one with { mode: '${mode}' }`);
    if (this.closing) throw new TestWorkerError(`${method}() after close(): this test worker has stopped`);
  }

  /** Runs units one after another, as one rr worker serves them. */
  private enqueue<T>(unit: () => Promise<T>): Promise<T> {
    const result = this.queue.then(unit);
    this.queue = result.catch(() => {});
    return result;
  }

  /** The worker's next frame; rejects when its loop ended first. */
  private async nextFrame(): Promise<Frame> {
    const index = this.cursor;
    const exited = this.exit.then((code) => {
      if (this.peer.sent.length > index) return;
      throw new TestWorkerError(`the worker stopped (exit code ${code}) before answering: ${this.logs.slice(-3).join('; ') || 'nothing logged'}`);
    });
    await Promise.race([this.peer.waitForSent(index + 1), exited]);
    this.cursor = index + 1;
    return this.peer.sent[index]!;
  }

  /** Reads one HTTP reply: hands the Response out at its status, then feeds its body until the final frame. */
  private async readHttpReply(deliver: (response: TestResponse) => void, requestEnded: () => Promise<void>): Promise<void> {
    const informational: Array<{ status: number; headers: Headers }> = [];
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    let cancelled = false;
    let delivered = false;
    for (;;) {
      const frame = await this.nextFrame();
      if (frame.flags & FrameFlag.ERROR) {
        await requestEnded();
        const text = frame.payload.toString();
        if (delivered) {
          controller?.error(new TestWorkerError(`the worker failed mid-response: ${text}`));
          return;
        }
        return deliver(testResponse(new Response(null, { status: 500 }), informational, text));
      }
      const contextLength = frame.options[0] ?? 0;
      const body = frame.payload.subarray(contextLength);
      const final = (frame.streamFlags & StreamFlag.STREAM) === 0;
      // rr deletes the uploads when the request ends, before its client sees the end of the reply.
      if (final) await requestEnded();
      if (!delivered && contextLength > 0) {
        const head = decodeHttpResponse(frame.payload.subarray(0, contextLength));
        const headers = new Headers();
        for (const [name, values] of Object.entries(head.headers)) for (const value of values) headers.append(name, value);
        if (head.status < 200 && !final) {
          informational.push({ status: head.status, headers });
          continue;
        }
        const stream = NULL_BODY.has(head.status)
          ? null
          : new ReadableStream<Uint8Array>({
              start: (c) => void (controller = c),
              cancel: () => {
                cancelled = true;
                // The client went away: rr sends STOP and waits for the worker's final frame.
                if (!this.peer.closed) this.peer.streamStop();
              },
            });
        delivered = true;
        deliver(testResponse(new Response(stream, { status: head.status, headers }), informational, undefined));
      } else if (!delivered && body.length > 0) {
        throw new TestWorkerError('the worker sent body bytes before any status: rr would answer with its default 200 and this body');
      }
      if (body.length > 0 && controller && !cancelled) controller.enqueue(new Uint8Array(body));
      if (final) {
        if (!delivered) throw new TestWorkerError('the worker ended its reply without a status');
        if (!cancelled) controller?.close();
        return;
      }
    }
  }
}

function testResponse(response: Response, informational: TestResponse['informational'], workerError: string | undefined): TestResponse {
  return Object.defineProperties(response, {
    informational: { value: informational, enumerable: true },
    workerError: { value: workerError, enumerable: true },
  }) as TestResponse;
}

function readJobReply(job: string, frame: Frame): JobOutcome {
  if (frame.flags & FrameFlag.ERROR) return { type: 'error', message: frame.payload.toString() };
  const problem = (what: string) => new TestWorkerError(`the worker's reply to job "${job}" ${what}: rr would ack the job silently`);
  if (frame.streamFlags & StreamFlag.STREAM) throw problem('is streamed');
  const text = frame.payload.subarray(frame.options[0] ?? 0).toString();
  if (text === '') throw problem('is empty');
  let reply: { type?: unknown; data?: Record<string, unknown> };
  try {
    reply = JSON.parse(text);
  } catch {
    throw problem(`is not JSON (${JSON.stringify(text.slice(0, 100))})`);
  }
  const data = reply.data;
  if (typeof data !== 'object' || data === null) throw problem('has no data object');
  switch (reply.type) {
    case 2:
      return { type: 'ack' };
    case 3:
      return { type: 'nack', message: String(data['message'] ?? ''), requeue: data['requeue'] === true, delaySeconds: Number(data['delay_seconds'] ?? 0) };
    case 4:
      return { type: 'requeue', message: String(data['message'] ?? ''), delaySeconds: Number(data['delay_seconds'] ?? 0), headers: (data['headers'] ?? {}) as JobHeaders };
    default:
      throw problem(`has an unknown type ${JSON.stringify(reply.type)}`);
  }
}

function pickContainer(given: TestWorkerOptions['container'], module: AppModule | undefined): Container {
  if (typeof given === 'function') {
    if (!module) throw new TestWorkerError('options.container is a function of the app module, but the app was given as an object: pass the container itself');
    return given(module);
  }
  if (given) return given;
  const exported = module?.['container'];
  if (isContainer(exported)) return exported;
  throw new TestWorkerError(
    module
      ? "overrides need the app's container: the app module has no `container` export; pass { container: (module) => module.yourContainer }"
      : "overrides need the app's container: pass { container } (the one the app's modes use)",
  );
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null && typeof (value as Container).override === 'function' && typeof (value as Container).createScope === 'function';
}

function restoreAll(handles: readonly OverrideHandle[]): void {
  for (const handle of [...handles].reverse()) handle.restore();
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value);
  return Buffer.from(JSON.stringify(value));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

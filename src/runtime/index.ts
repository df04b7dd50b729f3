/**
 * The RoadRunner worker runtime: goridge frames, relays, the worker loop, the RPC client, config
 * and events. Most applications only need {@link defineApp} and a bridge; the rest is for bridges
 * and tools.
 *
 * ```ts
 * // app.ts, started by rr as: node node_modules/roadrunner-runtime/dist/bin/worker.js dist/app.js
 * import { defineApp } from 'roadrunner-runtime';
 *
 * export default defineApp({
 *   modes: {
 *     jobs: () => ({ handle: async (unit) => unit.respond(Buffer.from('{"type":2,"data":{}}')) }),
 *   },
 * });
 * ```
 *
 * Talking to rr from anywhere (the `RR_RPC` address):
 *
 * ```ts
 * const rpc = new RpcClient();
 * await rpc.call('resetter.Reset', 'http');
 * ```
 *
 * @module
 */
export { defineApp, isWorkerApp } from './app/define-app.js';
export type { ModeContext, ModeFactory, ModeWorker, WorkerApp, WorkerMode } from './app/define-app.js';
export { runApp } from './app/run-app.js';
export { bootFailed, causeChain } from './app/boot-failure.js';
export type { BootFailedOptions, BootFailureAnswer } from './app/boot-failure.js';
export { createErrorLog } from './app/error-log.js';
export type { RunAppOptions } from './app/run-app.js';
export { runWorkerProcess } from './app/run-worker-process.js';
export { scopedMode } from './app/scoped-mode.js';
export type { ScopedModeOptions } from './app/scoped-mode.js';
export { UNIT_OF_WORK, unitOfWorkBinding } from './tokens.js';
export type { WorkerProcessOptions } from './app/run-worker-process.js';
export { installStdoutGuard, isStdoutGuarded, writeStderrSync } from './stdout-guard.js';
export type { ProtocolOutput } from './stdout-guard.js';
export { Worker } from './worker/worker.js';
export type { AfterUnitResult, UnitHandler, WorkerOptions, WorkerStopReason, WorkerTransport } from './worker/worker.js';
export { UnitOfWork } from './worker/unit-of-work.js';
export type { FrameSink, ReplyOptions } from './worker/unit-of-work.js';
export {
  decodeFrame,
  encodeFrame,
  encodeFrameHeader,
  FRAME_HEADER_SIZE,
  FRAME_VERSION,
  FrameFlag,
  FrameReader,
  MAX_FRAME_OPTIONS,
  StreamFlag,
} from './goridge/index.js';
export type { Frame, FrameInit, FrameReaderOptions } from './goridge/index.js';
export { connectSocketRelay, createRelay, openPipesRelay, parseRelayAddress } from './relay/index.js';
export type { CreateRelayOptions, FrameListener, OutgoingFrame, Relay, RelayAddress } from './relay/index.js';
export { DEFAULT_RPC_ADDRESS, RpcClient, RpcCodec } from './rpc/index.js';
export type { RpcCallOptions, RpcClientOptions } from './rpc/index.js';
export {
  expandEnv,
  expandEnvDeep,
  explainRuntimeConfig,
  loadRrConfig,
  loadRuntimeConfig,
  parseRrConfig,
  parseRuntimeConfig,
  RrConfig,
  runtimeConfigSchema,
} from './config/index.js';
export type { ConfigValueOrigin, ExplainedConfigValue, ExplainedRuntimeConfig, LoadRrConfigOptions, LoadRuntimeConfigOptions, RrKvStorage, RuntimeConfig } from './config/index.js';
export {
  AsEventListener,
  EventDispatcher,
  getEventListenerMetadata,
  registerListeners,
  StoppableEvent,
  WorkerErrorEvent,
  WorkerStartEvent,
  WorkerStopEvent,
} from './events/index.js';
export type { EventClass, Listener, ListenerResolver } from './events/index.js';
export type { Kernel } from './kernel.js';
export {
  BootError,
  ConfigError,
  EventListenerError,
  FrameError,
  ProtocolError,
  RelayError,
  RpcConnectionError,
  RpcError,
  RpcTimeoutError,
  RuntimeError,
  StreamStoppedError,
  UnsupportedModeError,
} from './errors.js';
// Types the public signatures above mention, so users can name them (and the API reference links them).
export type { FrameErrorReason } from './errors.js';
export type { ConfigSource } from './config/config-source.js';
export type { RelayOutput } from './relay/frame-writer.js';
export type { SocketRelay, SocketRelayOptions } from './relay/socket-relay.js';
export type { EventListenerMetadata } from './events/as-event-listener.js';
export type { StreamRelay } from './relay/stream-relay.js';
export type { RrJobsPipeline } from './config/rr-config.js';
export type { SocketAddress } from './relay/relay-address.js';
export type { EnvSource } from './config/expand-env.js';
export type { PipesRelayOptions } from './relay/pipes-relay.js';
export type { ParseRuntimeConfigOptions } from './config/parse-runtime-config.js';
export type { RuntimeConfigSchemaOptions } from './config/runtime-config.js';

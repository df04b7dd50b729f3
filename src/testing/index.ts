/**
 * The test kit: run an app's worker in-process and send it HTTP requests, jobs and Centrifugo
 * proxy calls through the real worker loop, over an in-memory rr peer that speaks goridge as rr
 * does; check that no state leaks from one unit of work to the next. No test framework is
 * assumed: it works under mocha, `node:test`, vitest or plain node (docs/testing.md).
 *
 * ```ts
 * import assert from 'node:assert/strict';
 * import { assertIsolated, startTestWorker } from 'roadrunner-runtime/testing';
 *
 * const worker = await startTestWorker('src/app.ts', { mode: 'http' });
 * try {
 *   assert.equal((await worker.fetch('/hello/ada')).status, 200);
 *   await assertIsolated((user) => worker.fetch(`/hello/${user}`));
 * } finally {
 *   await worker.close();
 * }
 * ```
 *
 * @module
 */
export { startTestWorker, TestWorker } from './test-worker.js';
export type { JobOutcome, TestJob, TestProxyReply, TestProxyRequest, TestResponse, TestOverrides, TestWorkerApp, TestWorkerOptions } from './test-worker.js';
export { assertIsolated, outcomeText } from './assert-isolated.js';
export type { Identity, IsolationOptions } from './assert-isolated.js';
export { loadAppModule, type AppModule } from './load-app-module.js';
export { MemoryPeer, frameParts } from './memory-peer.js';
export { canonicalHeaderKey, toRrHttpRequest, type RrHttpRequest, type RrHttpRequestOptions } from './rr-http-request.js';
export { IsolationError, IsolationProbeError, TestWorkerBootError, TestWorkerError } from './errors.js';

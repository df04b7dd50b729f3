/**
 * The Sentry bridge: one isolation scope per unit of work in every worker mode, capture of the
 * errors units fail with, and a bounded flush when the worker stops. `@sentry/node` (v10 or v11)
 * is an optional peer dependency: install it only if you use this bridge.
 *
 * ```ts
 * // instrument.mjs, loaded before anything else (.rr.yaml):
 * //   server.command: ["node", "--import", "./instrument.mjs",
 * //                    "node_modules/roadrunner-runtime/dist/bin/worker.js", "dist/app.js"]
 * import * as Sentry from '@sentry/node';
 * Sentry.init({ dsn: process.env.SENTRY_DSN });
 *
 * // app.ts
 * import * as Sentry from '@sentry/node';
 * import { defineApp, httpMode } from 'roadrunner-runtime';
 * import { withSentryApp } from 'roadrunner-runtime/sentry';
 *
 * export default withSentryApp(
 *   defineApp({
 *     modes: {
 *       http: httpMode({ container }),          // a 500 page is captured with this request's tags
 *       jobs: (context) => jobsWorker(context), // a throwing job is captured with this job's tags
 *     },
 *   }),
 *   { sentry: Sentry, flushTimeout: 2000 },
 * );
 * ```
 *
 * Inside a request, `Sentry.setTag`, `Sentry.setUser` and breadcrumbs apply to that request's
 * events only; process-wide tags belong on `Sentry.getGlobalScope()`. To wrap a single mode, use
 * `withSentry(factory, options)` in `modes`. Without `sentry`, `@sentry/node` is imported when the
 * mode boots (a missing package fails the boot with `SentryNotInstalledError`); either way the
 * events go through the client `Sentry.init` created.
 *
 * @module
 */
export { withSentry, SentryMechanism } from './with-sentry.js';
export { withSentryApp } from './with-sentry-app.js';
export { loadSentry, SENTRY_PACKAGE } from './load-sentry.js';
export { flushSentry } from './flush-sentry.js';
export { assertSentryModule } from './sentry-module.js';
export type { SentryCaptureHint, SentryEvent, SentryModule, SentryRequestData, SentryScope } from './sentry-module.js';
export { NEVER_SENT_HEADERS, resolveSentryOptions } from './sentry-options.js';
export type { HttpRequestDetails, ResolvedSentryOptions, SentryOptions } from './sentry-options.js';
export { InvalidSentryModuleError, SentryNotInstalledError, SentryOptionsError } from './errors.js';

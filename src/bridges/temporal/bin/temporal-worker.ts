#!/usr/bin/env node
/**
 * The Temporal worker process: not a goridge worker (the SDK talks to the Temporal server itself),
 * but a long-running command that rr's `service` plugin starts from the same `.rr.yaml` as the
 * HTTP pool, and restarts if it dies:
 *
 *   service:
 *     temporal:
 *       command: "node node_modules/roadrunner-runtime/dist/bridges/temporal/bin/temporal-worker.js dist/app.js"
 *       remain_after_exit: true   # restart it when it exits
 *       restart_sec: 1
 *       timeout_stop_sec: 10      # rr sends SIGINT, then SIGKILL after this; above shutdownGraceTime
 *
 * The argument is the app module (the one rr's `server.command` serves too); it must export what
 * `temporalWorkers({ container })` returns as `temporal` (or name the export: `app.ts#workers`).
 * rr splits `command` on spaces: no spaces in these paths.
 */
import { writeStderrSync } from '../../../runtime/stdout-guard.js';

// An error nothing caught leaves the process in an unknown state: stop serving at once. Temporal
// retries the activities that were running, on the process rr starts next.
process.on('uncaughtException', (error) => {
  writeStderrSync(`roadrunner-runtime: temporal: uncaught exception, exiting: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  writeStderrSync(`roadrunner-runtime: temporal: unhandled promise rejection, exiting: ${reason instanceof Error ? reason.stack : String(reason)}`);
  process.exit(1);
});

const { runTemporalWorkerProcess } = await import('../run-temporal-worker-process.js');
const code = await runTemporalWorkerProcess({ argv: process.argv.slice(2) });
// The workers are drained and the container disposed: exit now rather than wait for timers or
// sockets the app left open.
process.exit(code);

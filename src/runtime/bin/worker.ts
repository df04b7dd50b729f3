#!/usr/bin/env node
/**
 * The process rr starts (`server.command`):
 *
 *   server:
 *     command: ["node", "node_modules/roadrunner-runtime/dist/runtime/bin/worker.js", "app.js"]
 *
 * (TypeScript apps: `["node", "--import", "tsx", ".../worker.js", "app.ts"]`.) Start `node`
 * itself, never through npx or a shell: socket relays match the worker by its pid.
 *
 * It guards stdout before anything else loads, imports the app module (its default export comes
 * from `defineApp`) and serves the mode rr asked for in `RR_MODE`.
 */
import { installStdoutGuard, writeStderrSync } from '../stdout-guard.js';

const output = installStdoutGuard();

process.on('uncaughtException', (error) => {
  writeStderrSync(`roadrunner-runtime: uncaught exception: ${error instanceof Error ? error.stack : String(error)}`);
});
process.on('unhandledRejection', (reason) => {
  writeStderrSync(`roadrunner-runtime: unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
});

const { runWorkerProcess } = await import('../app/run-worker-process.js');
const code = await runWorkerProcess({ argv: process.argv.slice(2), output });
// The loop is over and the relay flushed: exit now rather than wait for timers or sockets the app
// left open (rr would wait 10 s for them, then SIGKILL the worker).
process.exit(code);

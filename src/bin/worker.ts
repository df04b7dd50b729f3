#!/usr/bin/env node
/**
 * The process rr starts (`server.command`):
 *
 *   server:
 *     command: ["node", "node_modules/roadrunner-runtime/dist/bin/worker.js", "dist/app.js"]
 *
 * (TypeScript apps in development: `["node", "--import", "tsx", ".../worker.js", "src/app.ts"]`,
 * with tsx as the app's own dependency.) Start `node` itself, never through npx or a shell:
 * socket relays match the worker by its pid.
 *
 * It guards stdout before anything else loads, imports the app module (its default export comes
 * from `defineApp`) and serves the mode rr asked for in `RR_MODE`.
 */
import { installStdoutGuard } from '../runtime/stdout-guard.js';

const output = installStdoutGuard();

const { runWorkerProcess } = await import('../runtime/app/run-worker-process.js');
const code = await runWorkerProcess({
  argv: process.argv.slice(2),
  output,
  // The services the runtime config registers with no call from the app (kv.auto_register), loaded
  // after the guard like everything else.
  prepare: async (env, overrides) => (await import('./app-defaults.js')).prepareAppDefaults(env, overrides),
  // How each bridge answers while the worker cannot boot (the app module or its config failed);
  // loaded only when needed, so an app never loads a bridge it does not use.
  bootFailureAnswers: {
    http: async (unit) => (await import('../bridges/http/kernel/answer-http-unavailable.js')).answerHttpUnavailable(unit),
    jobs: async (unit) => (await import('../bridges/jobs/answer-jobs-unavailable.js')).answerJobsUnavailable(unit),
    centrifuge: async (unit) => (await import('../bridges/centrifugo/answer-centrifugo-unavailable.js')).answerCentrifugoUnavailable(unit),
  },
});

// The loop is over and the relay flushed: exit now rather than wait for timers or sockets the app
// left open (rr would wait 10 s for them, then SIGKILL the worker).
process.exit(code);

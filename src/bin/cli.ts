#!/usr/bin/env node
/**
 * `roadrunner-runtime <command>`: the package's command line.
 *
 *   npx roadrunner-runtime rr                          prints the path of the pinned rr, building it first
 *   npx roadrunner-runtime dev [-c .rr.yaml]           rr serving the app, workers replaced when a source changes
 *   npx roadrunner-runtime debug:container <app-module> every service of a mode's container
 *   npx roadrunner-runtime debug:config [<app-module>] the runtime config and where each value came from
 *   npx roadrunner-runtime kv:keypair <path>           writes a KV encryption keypair (--check <path> checks one)
 *
 * The debug commands load the app module: anything it prints goes to stderr, their results alone
 * to stdout (so `--json` output can be piped), and an error in it is shown with its cause and the
 * app's own stack frames, not ours.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installStdoutGuard } from '../runtime/stdout-guard.js';
import { CliError } from './commands/cli-error.js';
import type { CommandIo } from './commands/command-io.js';
import { describeAppError } from './commands/describe-app-error.js';

const USAGE = `Usage: roadrunner-runtime <command>

Commands:
  rr                    print the path of the rr binary the package pins (RoadRunner v2025.1.15),
                        building it from Go modules on first use (needs Go >= 1.26.4; cached in
                        ~/.cache/roadrunner-runtime). RR_BINARY=/path/to/rr makes it print that one.
  dev [-c .rr.yaml] [-w <dir>] [--debounce <ms>]
                        run rr with the app's config and replace its workers (rr's resetter, over
                        RPC) when a source file under <dir> changes; a change that does not compile
                        is reported and the previous version keeps serving
  debug:container <app-module> [--mode http] [--json]
                        boot a mode's worker without serving and list every service of its
                        container: id, scope, public or private, declared Resettable, built or not,
                        tags, aliases
  debug:config [<app-module>] [--json]
                        the runtime config (roadrunner.yaml + the app's defineApp({ config })),
                        validated, with where each value came from
  kv:keypair <path>     write a KV end-to-end encryption keypair file (--check <path> checks one)
  help                  this text`;

/** The installed package's root: dist/bin/cli.js -> ../.. */
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where this package's own code runs from: its frames are left out of the app's errors. */
const ownDirs = [join(packageRoot, 'src') + sep, join(packageRoot, 'dist') + sep];

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'rr':
      return provideRr(rest);
    case 'dev': {
      const io = consoleIo();
      return runCommand(command, io, async () => (await import('./commands/dev.js')).dev(rest, io, { rr: async () => (await import('./commands/find-rr.js')).findRr(packageRoot) }));
    }
    case 'debug:container':
    case 'debug:config': {
      // The app module loads here: nothing it prints may mix with the results on stdout.
      const output = installStdoutGuard();
      const io: CommandIo = { ...consoleIo(), out: (text) => output.write(Buffer.from(`${text}\n`), () => {}) };
      const code = await runCommand(command, io, async () =>
        command === 'debug:container'
          ? (await import('./commands/debug-container.js')).debugContainer(rest, io)
          : (await import('./commands/debug-config.js')).debugConfig(rest, io),
      );
      await new Promise((resolve) => output.write(Buffer.alloc(0), resolve));
      // The app may leave sockets or timers open (an RPC client, a pool): the command is done.
      process.exit(code);
    }
    case 'kv:keypair': {
      const { runKvKeypairCli } = await import('../bridges/kv/bin/kv-keypair-cli.js');
      return runKvKeypairCli(rest, { out: (line) => console.log(line), err: (line) => console.error(line) });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`roadrunner-runtime: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function consoleIo(): CommandIo {
  return { out: (text) => console.log(text), err: (text) => console.error(text), ownDirs };
}

/** Runs a command; its failure is one message: a CliError's own, an app's error with its cause and the app's frames. */
async function runCommand(command: string, io: CommandIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`roadrunner-runtime ${command}: ${error.message}`);
      return error.exitCode;
    }
    io.err(`roadrunner-runtime ${command}: ${describeAppError(error, ownDirs)}`);
    return 1;
  }
}

/** Runs the shipped scripts/rr.sh: its progress goes to stderr, the binary's path to stdout. */
function provideRr(args: readonly string[]): Promise<number> {
  if (args.length > 0) {
    console.error(`roadrunner-runtime rr: takes no arguments, got ${args.join(' ')}`);
    return Promise.resolve(2);
  }
  const script = join(packageRoot, 'scripts', 'rr.sh');
  if (!existsSync(script)) {
    console.error(`roadrunner-runtime rr: ${script} is missing from the installed package; reinstall roadrunner-runtime`);
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(`roadrunner-runtime rr: cannot run bash (${error.message}); set RR_BINARY to an rr binary instead`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
/**
 * `roadrunner-runtime <command>`: the package's command line.
 *
 *   npx roadrunner-runtime rr                 prints the path of the pinned rr, building it first
 *   npx roadrunner-runtime kv:keypair <path>  writes a KV encryption keypair (--check <path> checks one)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = `Usage: roadrunner-runtime <command>

Commands:
  rr                    print the path of the rr binary the package pins (RoadRunner v2025.1.15),
                        building it from Go modules on first use (needs Go >= 1.26.4; cached in
                        ~/.cache/roadrunner-runtime). RR_BINARY=/path/to/rr makes it print that one.
  kv:keypair <path>     write a KV end-to-end encryption keypair file (--check <path> checks one)
  help                  this text`;

/** The installed package's root: dist/bin/cli.js -> ../.. */
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'rr':
      return provideRr(rest);
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

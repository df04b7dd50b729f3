import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './cli-error.js';

/**
 * The path of the pinned rr, as `roadrunner-runtime rr` prints it: the package's scripts/rr.sh
 * (`RR_BINARY` when set, else the cached build, else a build from Go modules, its progress on
 * stderr).
 *
 * @param packageRoot the installed package's root, which ships scripts/rr.sh.
 */
export function findRr(packageRoot: string): Promise<string> {
  const script = join(packageRoot, 'scripts', 'rr.sh');
  if (!existsSync(script)) return Promise.reject(new CliError(`${script} is missing from the installed package; reinstall roadrunner-runtime or set RR_BINARY`));
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (error) => reject(new CliError(`cannot run bash (${error.message}); set RR_BINARY to an rr binary instead`)));
    child.on('exit', (code) => {
      const path = stdout.trim().split('\n').at(-1);
      if (code === 0 && path) resolve(path);
      else reject(new CliError(`scripts/rr.sh could not provide rr (exit ${code}); set RR_BINARY to an rr binary`));
    });
  });
}

import { KvError } from '../errors.js';
import { loadSodiumKeypair, writeSodiumKeypair } from '../encryption/sodium-keypair.js';

const USAGE = `Usage: rr-kv-keypair <path>          write a new keypair file (mode 0600; never overwrites)
       rr-kv-keypair --check <path>  check that a file is a usable keypair

The file is the raw 64 bytes PHP's sodium_crypto_box_keypair() writes (secret key, then public
key), so PHP and Node workers can share it. Point kv.keypair_path in roadrunner.yaml at it.`;

/** Where the CLI writes: stdout for results, stderr for errors. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * The `rr-kv-keypair` command: writes or checks a KV encryption keypair file. Returns the exit
 * code: 0 done, 1 the file could not be written or used, 2 wrong arguments.
 */
export async function runKvKeypairCli(args: readonly string[], output: CliOutput, cwd = process.cwd()): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    output.out(USAGE);
    return 0;
  }
  const check = args[0] === '--check';
  const paths = check ? args.slice(1) : args;
  if (paths.length !== 1 || paths[0]!.startsWith('-')) {
    output.err(paths.length === 0 ? 'rr-kv-keypair: missing the keypair file path' : `rr-kv-keypair: unexpected arguments: ${args.join(' ')}`);
    output.err(USAGE);
    return 2;
  }
  const path = paths[0]!;
  try {
    if (check) {
      const keypair = await loadSodiumKeypair(path, { projectDir: cwd });
      output.out(`${keypair.source}: a valid keypair; public key ${Buffer.from(keypair.publicKey).toString('hex')}`);
    } else {
      const written = await writeSodiumKeypair(path, { projectDir: cwd });
      output.out(`wrote a new keypair to ${written} (mode 0600)`);
      output.out(`set kv.keypair_path: ${path} in roadrunner.yaml; every worker that shares the storage needs this same file, and nobody else`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof KvError)) throw error;
    output.err(`rr-kv-keypair: ${error.message}`);
    return 1;
  }
}

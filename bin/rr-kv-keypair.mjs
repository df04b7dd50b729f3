#!/usr/bin/env node
// Writes (or checks) a KV end-to-end encryption keypair file: `rr-kv-keypair bin/keypair.key`.
// The package ships TypeScript sources run through tsx, as the worker is.
import { register } from 'tsx/esm/api';

register();
const { runKvKeypairCli } = await import('../src/bridges/kv/bin/kv-keypair-cli.ts');
process.exitCode = await runKvKeypairCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

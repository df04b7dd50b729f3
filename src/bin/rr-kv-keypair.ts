#!/usr/bin/env node
/**
 * `rr-kv-keypair <path>` writes a KV end-to-end encryption keypair file, `--check <path>` checks
 * one (the same as `roadrunner-runtime kv:keypair`).
 */
import { runKvKeypairCli } from '../bridges/kv/bin/kv-keypair-cli.js';

process.exitCode = await runKvKeypairCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

/**
 * In rr's `pipes` relay, stdout IS the protocol channel: a single stray byte (a `console.log`, a
 * library's warning) breaks the frame stream and rr kills the worker. This module moves every
 * ordinary write to stderr (which rr logs) and hands the real stdout only to the relay.
 *
 * Import it before anything else; `roadrunner-runtime/worker` (the `server.command` entry) does.
 */
import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** The process's real stdout, for the pipes relay only. */
export interface ProtocolOutput {
  /** The stream whose writes really reach fd 1. */
  readonly stream: Writable;
  /** Writes to fd 1, bypassing the guard; calls back once the bytes are handed to the OS. */
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
}

const GUARD = Symbol.for('roadrunner-runtime.stdout-guard');

interface GuardState {
  output: ProtocolOutput;
}

type GlobalWithGuard = typeof globalThis & { [GUARD]?: GuardState };

/**
 * Installs the guard once per process (idempotent, shared by duplicate copies of this package) and
 * returns the real stdout writer.
 */
export function installStdoutGuard(): ProtocolOutput {
  const holder = globalThis as GlobalWithGuard;
  const existing = holder[GUARD];
  if (existing) return existing.output;

  const stdout = process.stdout;
  const realWrite = stdout.write.bind(stdout) as (chunk: Uint8Array, callback: (error?: Error | null) => void) => boolean;
  const toStderr = process.stderr.write.bind(process.stderr);

  // Everything that writes through process.stdout (console.*, util.format users, libraries that
  // grabbed the stream at import) now lands on stderr.
  stdout.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) =>
    toStderr(chunk as string, encoding as BufferEncoding, callback as () => void)) as typeof stdout.write;

  const output: ProtocolOutput = { stream: stdout, write: realWrite };
  holder[GUARD] = { output };
  return output;
}

/** True once {@link installStdoutGuard} ran in this process. */
export function isStdoutGuarded(): boolean {
  return (globalThis as GlobalWithGuard)[GUARD] !== undefined;
}

/**
 * Last-resort message to stderr that cannot be lost when the process is about to exit (a plain
 * `process.stderr.write` on a pipe may still be queued when `process.exit` runs).
 */
export function writeStderrSync(message: string): void {
  try {
    writeSync(2, message.endsWith('\n') ? message : `${message}\n`);
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

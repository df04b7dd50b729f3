/** Starts the Temporal worker entry as rr's service plugin does: `node --import tsx <entry> <app>`. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT, SOURCE_NODE_ARGS } from '../../support/process-peer.js';

export const TEMPORAL_WORKER_ENTRY = join(ROOT, 'src', 'bridges', 'temporal', 'bin', 'temporal-worker.ts');
export const TEMPORAL_APP = join(ROOT, 'test', 'fixtures', 'apps', 'temporal-app.ts');

/** A running Temporal worker process and what it wrote to stderr. */
export class TemporalWorkerProcess {
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  static start(args: string[], env: Record<string, string> = {}): TemporalWorkerProcess {
    const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, TEMPORAL_WORKER_ENTRY, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new TemporalWorkerProcess(child);
  }

  /** Resolves once stderr contains `text`; rejects if the process exits first or after `timeoutMs`. */
  async waitFor(text: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stderr.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`the Temporal worker exited (${this.child.exitCode}) before printing "${text}":\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`the Temporal worker did not print "${text}" within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/**
 * What the jobs e2e suites need besides rr: RabbitMQ (127.0.0.1:5672, guest/guest) and NATS with
 * JetStream (127.0.0.1:4222), started by scripts/services.sh when installed but down; the fixture
 * app's records; rr pipeline configs with names no other suite (or engineer) uses.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Jobs } from '../../../src/bridges/jobs/index.js';
import { ROOT } from '../../support/process-peer.js';

export type JobsDriver = 'memory' | 'amqp' | 'nats';

const PORTS = { amqp: { name: 'RabbitMQ', port: 5672 }, nats: { name: 'NATS', port: 4222 } } as const;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Makes sure the broker behind `driver` answers: runs scripts/services.sh (which starts it when
 * installed but down) and throws, failing the suite, when it is still not there. Never skips.
 */
export async function requireBroker(driver: JobsDriver): Promise<void> {
  if (driver === 'memory') return;
  const { name, port } = PORTS[driver];
  if (await portOpen(port)) return;
  spawnSync('bash', [join(ROOT, 'scripts', 'services.sh')], { stdio: 'inherit' });
  if (!(await portOpen(port))) throw new Error(`the ${driver} e2e tests need ${name} on 127.0.0.1:${port}; scripts/services.sh could not start it (see its output above)`);
}

/** A name prefix unique to this run, so parallel runs and other suites never share a queue or stream. */
export function uniqueName(label: string): string {
  return `rrr-${label}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The `config:` of one pipeline on `driver`, with broker-side names derived from `name`. */
export function pipelineConfig(driver: JobsDriver, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  switch (driver) {
    case 'memory':
      return { priority: 10, prefetch: 100_000, ...extra };
    case 'amqp':
      // requeue_on_fail: a task whose worker died is given back to RabbitMQ (rr's default drops it).
      return {
        queue: name,
        exchange: name,
        exchange_type: 'direct',
        routing_key: name,
        durable: false,
        delete_queue_on_stop: true,
        exchange_auto_delete: true,
        requeue_on_fail: true,
        prefetch: 100,
        ...extra,
      };
    case 'nats':
      return { subject: name, stream: name, prefetch: 100, delete_stream_on_stop: true, deliver_new: true, ...extra };
  }
}

/** The `jobs:` section (and the driver's connection section) for rr's config, as YAML (JSON is YAML). */
export function jobsYaml(options: {
  driver: JobsDriver;
  pipelines: Record<string, { driver: JobsDriver; config: Record<string, unknown> }>;
  consume: string[];
  workers: number;
  poolExtra?: Record<string, unknown>;
}): string {
  const sections: Record<string, unknown> = {
    jobs: {
      num_pollers: 4,
      pool: { num_workers: options.workers, allocate_timeout: '60s', destroy_timeout: '15s', ...options.poolExtra },
      consume: options.consume,
      pipelines: options.pipelines,
    },
  };
  const drivers = new Set(Object.values(options.pipelines).map((pipeline) => pipeline.driver));
  if (drivers.has('amqp')) sections['amqp'] = { addr: 'amqp://guest:guest@127.0.0.1:5672/' };
  if (drivers.has('nats')) sections['nats'] = { addr: 'nats://127.0.0.1:4222' };
  return Object.entries(sections)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n');
}

/** One line the fixture app's jobs workers write (test/fixtures/apps/jobs-bridge-app.ts). */
export interface JobRecord {
  kind: 'handled' | 'failed' | 'dead-lettered' | 'deferred' | 'seen' | 'started';
  pid: number;
  at: number;
  id: string;
  job: string;
  pipeline: string;
  driver: string;
  queue: string | undefined;
  headers: Record<string, string[]>;
  attempt: number;
  payload: string;
  parsed?: unknown;
  scopeSerial?: number;
  sameEvent?: boolean;
  cleanAtStart?: boolean;
  resetsBefore?: number;
}

/** Every record written so far in `dir`; a line cut short by a SIGKILL is ignored. */
export function readRecords(dir: string): JobRecord[] {
  const records: JobRecord[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.startsWith('records-')) continue;
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line === '') continue;
      try {
        records.push(JSON.parse(line) as JobRecord);
      } catch {
        // the worker was killed mid-line
      }
    }
  }
  return records.sort((a, b) => a.at - b.at);
}

/** Waits until the records for job id `id` satisfy `done`, and returns them. */
export async function recordsOf(dir: string, id: string, done: (records: JobRecord[]) => boolean, what: string, timeoutMs = 30_000): Promise<JobRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readRecords(dir).filter((record) => record.id === id);
    if (done(found)) return found;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms (records of ${id}: ${JSON.stringify(found.map((record) => `${record.kind}@${record.attempt}`))})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reads the records appended since the last call, without re-reading whole files (for progress polling). */
export class RecordsTail {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(private readonly dir: string) {}

  next(): JobRecord[] {
    const records: JobRecord[] = [];
    for (const file of readdirSync(this.dir)) {
      if (!file.startsWith('records-')) continue;
      const fd = openSync(join(this.dir, file), 'r');
      try {
        const from = this.offsets.get(file) ?? 0;
        const size = fstatSync(fd).size;
        if (size <= from) continue;
        const buffer = Buffer.alloc(size - from);
        readSync(fd, buffer, 0, buffer.length, from);
        this.offsets.set(file, size);
        const lines = ((this.partial.get(file) ?? '') + buffer.toString('utf8')).split('\n');
        this.partial.set(file, lines.pop() ?? '');
        for (const line of lines) {
          try {
            if (line !== '') records.push(JSON.parse(line) as JobRecord);
          } catch {
            // the worker was killed mid-line
          }
        }
      } finally {
        closeSync(fd);
      }
    }
    return records;
  }
}

/**
 * Polls `jobs.Stat` until `pipeline`'s entry satisfies `check`. rr answers RPC before a consumed
 * pipeline's listener runs (AMQP refuses Pause with "no active listeners" until then), so a test
 * that pauses first waits for `ready`.
 */
export async function waitForStat(jobs: Jobs, pipeline: string, check: (stat: { active: number; ready: boolean }) => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: unknown;
  for (;;) {
    const stat = (await jobs.stat()).find((entry) => entry.pipeline === pipeline);
    last = stat;
    if (stat && check(stat)) return;
    if (Date.now() > deadline) throw new Error(`stat of ${pipeline} never matched: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Stand-ins for what the example reaches through rr (its KV storages, the jobs producer, the
 * Centrifugo API), given to the kit as container overrides: the example's tests need no rr.
 */
import type { Override, ServiceId } from 'roadrunner-runtime/container';
import { CentrifugoApi } from 'roadrunner-runtime/centrifugo';
import { JOBS } from 'roadrunner-runtime/jobs';
import { MemorySessionStore, SESSION_STORAGE_FACTORY, SessionStorageFactory } from 'roadrunner-runtime/session';

/** What the stand-ins saw. */
export interface ExampleFakes {
  /** `cache.adapter.rr_kv.local`: key -> value. */
  kv: Map<string, unknown>;
  /** Jobs pushed through JOBS. */
  pushed: Array<{ job: string; payload: unknown }>;
  /** Messages published through CentrifugoApi. */
  published: Array<{ channel: string; data: unknown }>;
}

export function exampleOverrides(): { fakes: ExampleFakes; overrides: Array<[ServiceId<any>, Override<any>]> } {
  const fakes: ExampleFakes = { kv: new Map(), pushed: [], published: [] };
  const cache = {
    get: async (key: string) => fakes.kv.get(key),
    set: async (key: string, value: unknown) => void fakes.kv.set(key, structuredClone(value)),
  };
  return {
    fakes,
    overrides: [
      ['cache.adapter.rr_kv.local', { useValue: cache }],
      [SESSION_STORAGE_FACTORY, { useValue: new SessionStorageFactory({ store: new MemorySessionStore(), cookie: { secure: 'auto' } }) }],
      [JOBS, { useValue: { push: async (job: string, payload: unknown) => (fakes.pushed.push({ job, payload }), `job-${fakes.pushed.length}`) } }],
      [CentrifugoApi, { useValue: { publish: async (channel: string, data: unknown) => (fakes.published.push({ channel, data }), { offset: fakes.published.length, epoch: 'test' }) } }],
    ],
  };
}

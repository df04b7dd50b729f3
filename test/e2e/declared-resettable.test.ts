/**
 * Issue 10, "Must show" 1, under the real `rr serve`: after every request the worker resets the
 * singletons declared Resettable and nothing else. A singleton whose `reset()` means something
 * else, and a real node-redis client bound by value (its `reset()` sends RESET, which drops the
 * `SELECT 3` the app made), stay untouched across 100 requests, while the declared Resettable is
 * reset after each one. Fixture: test/fixtures/apps/resettable-app.ts (one worker, so every
 * request reaches the same singletons). Needs Redis on 127.0.0.1:6379 (scripts/services.sh).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { createClient } from 'redis';
import type { ResettableAppState } from '../fixtures/apps/resettable-app.js';
import { ROOT } from '../support/process-peer.js';
import { RrServer } from './support/rr-server.js';

const REQUESTS = 100;

describe('declared Resettables only, under the real rr', function () {
  this.timeout(180_000);
  let rr: RrServer;

  before(async () => {
    spawnSync('bash', [join(ROOT, 'scripts', 'services.sh')], { stdio: 'inherit' });
    rr = await RrServer.start({ app: 'test/fixtures/apps/resettable-app.ts', workers: 1 });
  });
  after(async () => {
    await rr?.dispose();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`rr logs (last 20,000 characters):\n${rr?.logs.slice(-20_000)}`);
  });

  it(`leaves a singleton with an unrelated reset() and a node-redis client on DB 3 untouched across ${REQUESTS} requests, and resets the declared one after each`, async () => {
    const states: ResettableAppState[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${rr.httpUrl}/state`);
      expect(response.status).to.equal(200);
      states.push((await response.json()) as ResettableAppState);
    }
    const first = states[0]!;
    expect(new Set(states.map((state) => state.pid)).size, 'one worker served them all').to.equal(1);

    for (const [i, state] of states.entries()) {
      // The undeclared singleton kept counting and its reset() never ran.
      expect(state.counter, `request ${i}`).to.equal(first.counter + i);
      expect(state.counterResets, `request ${i}`).to.equal(0);
      // The declared Resettable started every request empty, reset once after each previous one.
      expect(state.bufferBefore, `request ${i}`).to.equal(0);
      expect(state.bufferResets, `request ${i}`).to.equal(first.bufferResets + i);
      // The redis connection still has DB 3 selected (RESET would have put it on 0).
      expect(state.redisDb, `request ${i}`).to.equal(3);
      expect(state.redisValue, `request ${i}`).to.equal(`written in db 3 by ${first.pid}`);
    }
    expect(states.at(-1)!.counter).to.equal(first.counter + REQUESTS - 1);
    expect(first.resettable, 'what the container lists as resettable').to.deep.equal(['RequestBuffer']);

    // Seen from outside: the key the app wrote through its client is in DB 3, not in DB 0.
    const db3 = createClient({ url: 'redis://127.0.0.1:6379/3' });
    const db0 = createClient({ url: 'redis://127.0.0.1:6379/0' });
    await Promise.all([db3.connect(), db0.connect()]);
    try {
      expect(await db3.get(first.redisKey)).to.equal(`written in db 3 by ${first.pid}`);
      expect(await db0.exists(first.redisKey)).to.equal(0);
      await db3.del(first.redisKey);
    } finally {
      await Promise.all([db3.close(), db0.close()]);
    }
  });
});

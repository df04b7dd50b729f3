/**
 * The example app's kit tests under node:test, as a user of `node --test` writes them: no mocha,
 * no chai, only node:assert. Run by test/example/example-kit.test.ts (a child
 * `node --import tsx --test`); its file name keeps it out of mocha's `*.test.ts` glob.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertIsolated, IsolationError, startTestWorker, type TestWorker } from 'roadrunner-runtime/testing';
import { exampleOverrides } from './support/example-overrides.js';
import { leakyApp } from './support/leaky-app.js';

describe('example app under node:test', () => {
  let worker: TestWorker;
  before(async () => {
    worker = await startTestWorker('example/app.ts', { mode: 'http', overrides: exampleOverrides().overrides });
  });
  after(async () => {
    await worker.close();
  });

  it('logs a user in and tells who they are', async () => {
    const login = await worker.fetch('/login', { method: 'POST', body: new URLSearchParams({ user: 'ada' }) });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    assert.deepEqual(await (await worker.fetch('/me', { headers: { cookie } })).json(), { user: 'ada' });
  });

  it('is isolated between users', async () => {
    await assertIsolated(async (user) => {
      const login = await worker.fetch('/login', { method: 'POST', body: new URLSearchParams({ user }) });
      return worker.fetch('/me', { headers: { cookie: login.headers.getSetCookie()[0]!.split(';')[0]! } });
    });
  });

  it('fails the isolation check for a service that keeps per-request state without being Resettable', async () => {
    const leaky = await startTestWorker(leakyApp({ resettable: false }), { mode: 'http' });
    try {
      await assert.rejects(
        assertIsolated((user) => leaky.fetch('/profile', { headers: { 'x-user': user } })),
        (error: unknown) => error instanceof IsolationError && /state leaked between units of work/.test(error.message),
      );
    } finally {
      await leaky.close();
    }
  });

  it('passes it for the same service declared Resettable', async () => {
    const fixed = await startTestWorker(leakyApp({ resettable: true }), { mode: 'http' });
    try {
      await assertIsolated((user) => fixed.fetch('/profile', { headers: { 'x-user': user } }));
    } finally {
      await fixed.close();
    }
  });
});

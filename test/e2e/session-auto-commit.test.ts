/**
 * Sessions commit themselves, under the real `rr serve` (issue 10, "Must show" 6): the app
 * (test/fixtures/apps/session-app.ts) registers `sessionBindings()` and no listener; sessions live
 * in an rr KV storage shared by two workers, so a cookie only works on the next request if the
 * session really was saved. The opt-out (`autoCommit: false`) gets an rr of its own.
 */
import { expect } from 'chai';
import { send, type HttpReply } from './support/http-client.js';
import { RrServer } from './support/rr-server.js';

const APP = 'test/fixtures/apps/session-app.ts';
const KV = ['kv:', '  sessions:', '    driver: memory', '    config: {}'].join('\n');

/** The `name=value` part of the one session cookie a reply set. */
function sessionCookie(reply: HttpReply): string {
  const lines = reply.headers['set-cookie'] ?? [];
  expect(lines, 'exactly one Set-Cookie').to.have.length(1);
  expect(lines[0]).to.match(/^sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  return lines[0]!.split(';')[0]!;
}

const me = async (rr: RrServer, cookie?: string) =>
  JSON.parse((await send(rr.httpUrl, '/me', cookie === undefined ? {} : { headers: { cookie } })).body.toString()) as Record<string, unknown>;

describe('sessions commit themselves under rr (no listener in the app)', function () {
  this.timeout(180_000);

  describe('sessionBindings() with its defaults, two workers, sessions in rr KV', () => {
    let rr: RrServer;
    before(async function () {
      this.timeout(120_000);
      rr = await RrServer.start({ app: APP, workers: 2, extraYaml: KV });
    });
    after(async function () {
      this.timeout(60_000);
      await rr?.stop().catch(() => {});
      await rr?.dispose();
    });

    it('login sets the cookie and the next requests, on either worker, see the user', async () => {
      const login = await send(rr.httpUrl, '/login?user=ada', { method: 'POST' });
      expect(login.status).to.equal(303);
      expect(login.headers['cache-control']).to.equal('private, no-cache');
      const cookie = sessionCookie(login);
      for (let n = 0; n < 6; n++) expect((await me(rr, cookie))['user'], `request ${n}`).to.equal('ada');
      expect(await me(rr), 'no cookie: nobody').to.include({ user: null });
    });

    it('commits the response an exception listener made: the flash set before the error is there next time', async () => {
      const form = await send(rr.httpUrl, '/form', { method: 'POST' });
      expect(form.status).to.equal(422);
      expect(JSON.parse(form.body.toString())).to.deep.equal({ error: 'name is required' });
      expect(await me(rr, sessionCookie(form))).to.include({ flash: 'please fix the form' });
    });

    it('commits a streamed response before it starts: the cookie is in its head', async () => {
      const feed = await send(rr.httpUrl, '/feed');
      expect(feed.status).to.equal(200);
      expect(feed.headers['transfer-encoding'], 'streamed, not buffered').to.equal('chunked');
      expect(feed.body.toString()).to.equal('one\ntwo\nthree\n');
      expect(await me(rr, sessionCookie(feed))).to.include({ feedSeen: true });
    });

    it('a request that never touches the session gets no cookie', async () => {
      const home = await send(rr.httpUrl, '/');
      expect(home.body.toString()).to.equal('ok');
      expect(home.headers['set-cookie']).to.equal(undefined);
    });
  });

  describe('sessionBindings({ autoCommit: false })', () => {
    let rr: RrServer;
    before(async function () {
      this.timeout(120_000);
      rr = await RrServer.start({ app: APP, workers: 1, extraYaml: KV, env: { SESSION_APP_AUTO_COMMIT: 'false' } });
    });
    after(async function () {
      this.timeout(60_000);
      await rr?.stop().catch(() => {});
      await rr?.dispose();
    });

    it('commits nothing by itself: the login answers without a cookie', async () => {
      const login = await send(rr.httpUrl, '/login?user=ada', { method: 'POST' });
      expect(login.status).to.equal(303);
      expect(login.headers['set-cookie']).to.equal(undefined);
    });
  });
});

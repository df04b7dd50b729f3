/** The example app's routes, served by the real worker entry over pipes (rr's side played in-test). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeHttpResponse, encodeHttpRequest, type ValuesMap } from '../../src/bridges/http/proto/http-v1.js';
import { FrameFlag, StreamFlag } from '../../src/runtime/goridge/flags.js';
import type { Frame } from '../../src/runtime/goridge/frame.js';
import { FakeRrKv } from '../bridges/kv/support/fake-rr-kv.js';
import { ProcessPeer, ROOT } from '../support/process-peer.js';

interface Reply {
  status: number;
  headers: ValuesMap;
  body: string;
  frames: Frame[];
}

describe('example app', function () {
  this.timeout(60_000);
  let peer: ProcessPeer;
  let kv: FakeRrKv;
  before(async () => {
    // rr's side of RPC: the KV storages of example/.rr.yaml (sessions and visits).
    kv = await FakeRrKv.start({ storages: { local: 'memory', sessions: 'memory' } });
    peer = await ProcessPeer.spawn({ app: 'example/app.ts', env: { RR_RPC: kv.address } });
    await peer.handshake();
  });
  after(async () => {
    await peer.dispose();
    await kv.close();
  });

  async function call(path: string, init: { method?: string; header?: ValuesMap; body?: string; parsed?: boolean } = {}): Promise<Reply> {
    peer.request(
      encodeHttpRequest({
        method: init.method ?? 'GET',
        uri: `http://127.0.0.1:8080${path}`,
        protocol: 'HTTP/1.1',
        remoteAddr: '10.1.2.3',
        header: init.header ?? {},
        parsed: init.parsed ?? false,
      }),
      Buffer.from(init.body ?? ''),
    );
    const frames: Frame[] = [];
    for (;;) {
      const frame = await peer.next();
      frames.push(frame);
      if (frame.flags & FrameFlag.ERROR) throw new Error(`ERROR frame: ${frame.payload}`);
      if (!(frame.streamFlags & StreamFlag.STREAM)) break;
    }
    const head = decodeHttpResponse(frames[0]!.payload.subarray(0, frames[0]!.options[0]));
    return { status: head.status, headers: head.headers, body: Buffer.concat(frames.map((f) => f.payload.subarray(f.options[0]))).toString(), frames };
  }

  it('greets with the worker pid and the client address', async () => {
    const reply = await call('/');
    expect(reply.body).to.equal(`Hello from a Node worker (pid ${peer.child.pid}) behind RoadRunner; you are 10.1.2.3\n`);
  });

  it('keeps two users apart through login, whoami and logout', async () => {
    const cookieOf = (reply: Reply) => reply.headers['set-cookie']![0]!.split(';')[0]!;
    const ada = cookieOf(await call('/login', { method: 'POST', body: '{"user":"ada"}', header: { 'Content-Type': ['application/json'] } }));
    // A form, as `curl -d user=bob` sends it (rr forwards it parsed).
    const bob = cookieOf(await call('/login', { method: 'POST', body: '{"user":"bob"}', parsed: true, header: { 'Content-Type': ['application/x-www-form-urlencoded'] } }));
    expect(ada).to.not.equal(bob);
    expect(kv.entry('sessions', `session:${ada.slice('sid='.length)}`), 'the session is in rr KV').to.not.equal(undefined);
    expect(JSON.parse((await call('/me', { header: { Cookie: [ada] } })).body)).to.deep.equal({ user: 'ada' });
    expect(JSON.parse((await call('/me', { header: { Cookie: [bob] } })).body)).to.deep.equal({ user: 'bob' });
    expect(JSON.parse((await call('/me')).body)).to.deep.equal({ user: null });
    expect((await call('/login', { method: 'POST', body: 'not json', header: { 'Content-Type': ['application/json'] } })).status).to.equal(400);
    expect((await call('/logout', { method: 'POST', header: { Cookie: [ada] } })).status).to.equal(204);
    expect(JSON.parse((await call('/me', { header: { Cookie: [ada] } })).body)).to.deep.equal({ user: null });
    expect(JSON.parse((await call('/me', { header: { Cookie: [bob] } })).body)).to.deep.equal({ user: 'bob' });
  });

  it('streams the countdown chunk by chunk', async () => {
    const reply = await call('/countdown');
    expect(reply.body).to.equal('5...\n4...\n3...\n2...\n1...\nlift-off\n');
    expect(reply.frames.filter((f) => f.payload.length > f.options[0]!).length).to.be.greaterThan(1);
  });

  it('streams a large JSON document that parses back whole', async () => {
    const reply = await call('/numbers?count=20000');
    const parsed = JSON.parse(reply.body);
    expect(parsed.count).to.equal(20000);
    expect(parsed.items).to.have.length(20000);
    expect(parsed.items[19999]).to.deep.equal({ n: 19999, square: 19999 * 19999 });
    expect(reply.frames.length).to.be.greaterThan(2);
  });

  it('serves the download whole and by byte range', async () => {
    const file = readFileSync(join(ROOT, 'example', 'public', 'sample.txt'));
    const whole = await call('/download');
    expect(whole.status).to.equal(200);
    expect(whole.body).to.equal(file.toString());
    // A token name goes unquoted since the content-disposition package writes the header (as Express's).
    expect(whole.headers['content-disposition']).to.deep.equal(['attachment; filename=sample.txt']);
    const part = await call('/download', { header: { Range: ['bytes=100-199'] } });
    expect(part.status).to.equal(206);
    expect(part.body).to.equal(file.subarray(100, 200).toString());
  });

  it('resets its Resettable counter after every request', async () => {
    for (let i = 0; i < 3; i++) {
      const reply = await call('/stats');
      expect(JSON.parse(reply.body)).to.include({ path: '/stats', queriesThisRequest: 3 });
    }
  });

  it('counts visits in rr KV through the container service cache.adapter.rr_kv.local', async () => {
    const first = JSON.parse((await call('/visits', { method: 'POST' })).body) as { visits: number };
    const second = JSON.parse((await call('/visits', { method: 'POST' })).body) as { visits: number };
    expect(second.visits).to.equal(first.visits + 1);
    expect(new TextDecoder().decode(kv.entry('local', 'visits')!.value)).to.equal(String(second.visits));
  });

  it('answers 404 for unknown paths', async () => {
    expect((await call('/nope')).status).to.equal(404);
  });
});

/**
 * The HTTP bridge fixture app (test/fixtures/apps/http-bridge-app.ts) served by the real worker
 * entry in its own process, over pipes, with this test playing rr's side: each request is the
 * `http.v1.Request` rr would send (pre-parsed forms, an uploads tree over temp files, the peer's
 * `remote_addr`), each answer is read frame by frame. Every scenario of the e2e suite
 * (test/e2e/http-bridge.test.ts) runs here first, so only the rr layer is left for the e2e run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeHttpResponse, encodeHttpRequest, type HttpRequestMessage, type ValuesMap } from '../../../src/bridges/http/proto/http-v1.js';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';
import { ProcessPeer } from '../../support/process-peer.js';
import { FakeRrKv } from '../kv/support/fake-rr-kv.js';
import { connectLocalRedis, dropAndClose, testPrefix, type LocalRedis } from '../session/support.js';
import {
  HTTP_BRIDGE_APP,
  HTTP_BRIDGE_ENV,
  parseByteRanges,
  rangeCases,
  readMarker,
  releaseStream,
  seededBytes,
  seededRandom,
  sha256,
  streamToken,
  uploadScenario,
  waitForMarker,
  type ClientAnswer,
  type SessionAnswer,
  type UploadAnswer,
} from '../../fixtures/apps/http-bridge-app.test-support.js';

const ORIGIN = 'http://127.0.0.1:8080';

interface Reply {
  status: number;
  headers: ValuesMap;
  body: Buffer;
  frames: Frame[];
}

/** rr's side of one worker process: one request at a time, as rr's pool does. */
class RrSide {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(readonly peer: ProcessPeer) {}

  static async spawn(env: Record<string, string>): Promise<RrSide> {
    const peer = await ProcessPeer.spawn({ app: HTTP_BRIDGE_APP, env });
    await peer.handshake();
    return new RrSide(peer);
  }

  /** Sends a request as rr would: the proto context, then the body in the same frame. */
  send(path: string, init: Partial<HttpRequestMessage> = {}, body: Uint8Array = new Uint8Array()): void {
    const uri = `${ORIGIN}${path}`;
    this.peer.request(
      encodeHttpRequest({ remoteAddr: '127.0.0.1', protocol: 'HTTP/1.1', method: 'GET', uri, rawQuery: new URL(uri).search.slice(1), ...init }),
      body,
    );
  }

  /** The next frame of the current answer; throws on an ERROR frame. */
  async frame(): Promise<Frame> {
    const frame = await this.peer.next();
    if (frame.flags & FrameFlag.ERROR) throw new Error(`ERROR frame: ${frame.payload.toString()}\n${this.peer.stderr}`);
    expect(frame.flags, 'rr accepts HTTP frames whose flags are exactly CODEC_PROTO').to.equal(FrameFlag.CODEC_PROTO);
    return frame;
  }

  /** Reads the rest of an answer whose first frames were already read. */
  async rest(frames: Frame[]): Promise<Reply> {
    while (frames.length === 0 || frames.at(-1)!.streamFlags & StreamFlag.STREAM) frames.push(await this.frame());
    // 1xx frames (early hints) come first, with the STREAM bit; the final status is the first other one.
    const heads = frames.filter((frame) => frame.options[0]! > 0).map((frame) => decodeHttpResponse(frame.payload.subarray(0, frame.options[0])));
    const final = heads.find((head) => head.status >= 200) ?? heads[0]!;
    return { status: final.status, headers: final.headers, body: Buffer.concat(frames.map((frame) => frame.payload.subarray(frame.options[0]))), frames };
  }

  /** One whole request/answer, queued behind any other on this worker. */
  call(path: string, init: Partial<HttpRequestMessage> = {}, body?: Uint8Array): Promise<Reply> {
    const reply = this.queue.then(() => {
      this.send(path, init, body);
      return this.rest([]);
    });
    this.queue = reply.catch(() => {});
    return reply;
  }

  async json<T>(path: string, init: Partial<HttpRequestMessage> = {}, body?: Uint8Array): Promise<T> {
    const reply = await this.call(path, init, body);
    expect(reply.status, reply.body.toString()).to.equal(200);
    return JSON.parse(reply.body.toString()) as T;
  }

  dispose(): Promise<void> {
    return this.peer.dispose();
  }
}

function header(reply: Reply, name: string): string | undefined {
  return Object.entries(reply.headers).find(([key]) => key.toLowerCase() === name)?.[1][0];
}

function setCookies(reply: Reply): string[] {
  return Object.entries(reply.headers).flatMap(([key, values]) => (key.toLowerCase() === 'set-cookie' ? values : []));
}

/** A urlencoded form as rr forwards it: parsed, the data tree as JSON in the body. */
function parsedForm(tree: Record<string, unknown>): [Partial<HttpRequestMessage>, Buffer] {
  return [{ method: 'POST', parsed: true, header: { 'Content-Type': ['application/x-www-form-urlencoded'] } }, Buffer.from(JSON.stringify(tree))];
}

describe('HTTP bridge fixture app through a real worker process (rr side in-test)', function () {
  this.timeout(60_000);

  const FILE_SIZE = 5 * 1024 * 1024 + 12_345;
  let dir: string;
  let filesRoot: string;
  let markerDir: string;
  let uploadsDir: string;
  let file: Buffer;
  const prefix = testPrefix();
  let redis: LocalRedis;
  /** Trusts no proxy. */
  let plain: RrSide;
  /** Trusts 127.0.0.1; shares the Redis session store with `plain` (two workers, one store). */
  let trusting: RrSide;

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    [HTTP_BRIDGE_ENV.filesRoot]: filesRoot,
    [HTTP_BRIDGE_ENV.file]: 'large.bin',
    [HTTP_BRIDGE_ENV.markerDir]: markerDir,
    [HTTP_BRIDGE_ENV.redisPrefix]: prefix,
    [HTTP_BRIDGE_ENV.trustedProxies]: '',
    ...extra,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-http-bridge-'));
    [filesRoot, markerDir, uploadsDir] = [join(dir, 'files'), join(dir, 'markers'), join(dir, 'uploads')];
    file = seededBytes(FILE_SIZE, 0xf11e);
    for (const sub of [filesRoot, markerDir, uploadsDir]) mkdirSync(sub, { recursive: true });
    writeFileSync(join(filesRoot, 'large.bin'), file);
    writeFileSync(join(dir, 'secret.txt'), 'outside the files root\n');
    redis = await connectLocalRedis();
    [plain, trusting] = await Promise.all([RrSide.spawn(env()), RrSide.spawn(env({ [HTTP_BRIDGE_ENV.trustedProxies]: '127.0.0.1' }))]);
  });

  after(async () => {
    await Promise.all([plain?.dispose(), trusting?.dispose()]);
    await dropAndClose(redis, prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers the readiness probe', async () => {
    const reply = await plain.call('/');
    expect(reply.status).to.equal(200);
    expect(reply.body.toString()).to.equal(`http-bridge-app ${plain.peer.child.pid}\n`);
  });

  describe('generator streams', () => {
    it('sends the first chunk while the generator is still held, then the rest once released', async () => {
      const token = streamToken('first');
      plain.send(`/stream?token=${token}&chunks=4&delay=10&hold=1`);
      const first = await plain.frame();
      expect(first.streamFlags & StreamFlag.STREAM, 'more frames follow').to.equal(StreamFlag.STREAM);
      const head = decodeHttpResponse(first.payload.subarray(0, first.options[0]));
      expect(head.status).to.equal(200);
      expect(first.payload.subarray(first.options[0]).toString()).to.equal(`chunk 0 of 4 from ${plain.peer.child.pid}\n`);
      // The generator is parked on the release file: its finally has not run, nothing else came.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readMarker(markerDir, token), 'the generator finished before its first chunk was seen').to.equal(undefined);
      expect(plain.peer.stderr).to.not.contain(token);

      releaseStream(markerDir, token);
      const reply = await plain.rest([first]);
      expect(reply.body.toString()).to.equal(`chunk 0 of 4 from ${plain.peer.child.pid}\nchunk 1\nchunk 2\nchunk 3\n`);
      expect(reply.frames.length, 'one frame per chunk plus the closing one').to.be.at.least(4);
      expect(await waitForMarker(markerDir, token)).to.deep.include({ produced: 4, chunks: 4, completed: true });
    });

    it('on STOP mid-stream, runs the generator finally (marker on stderr and on disk) and keeps serving', async () => {
      const token = streamToken('stop');
      plain.send(`/stream?token=${token}&chunks=100000&delay=5`);
      const frames = [await plain.frame(), await plain.frame(), await plain.frame()];
      expect(frames.every((frame) => frame.streamFlags & StreamFlag.STREAM)).to.equal(true);
      plain.peer.streamStop();
      let last = frames.at(-1)!;
      while (last.streamFlags & StreamFlag.STREAM) last = await plain.frame();
      const marker = await waitForMarker(markerDir, token);
      expect(marker.completed).to.equal(false);
      expect(marker.signalAborted, 'request.signal aborted on STOP').to.equal(true);
      expect(marker.produced).to.be.within(3, 1000);
      // The stderr line reaches this process through a pipe, possibly after the marker file is read.
      const line = `http-bridge-app stream-finally ${JSON.stringify(marker)}`;
      for (const deadline = Date.now() + 15_000; !plain.peer.stderr.includes(line) && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(plain.peer.stderr).to.contain(line);
      expect((await plain.call('/')).status).to.equal(200);
    });

    it('streams a large JSON document that parses back whole', async () => {
      const reply = await plain.call('/json-stream?count=30000');
      const parsed = JSON.parse(reply.body.toString()) as { count: number; items: Array<{ n: number; square: number }> };
      expect(parsed.count).to.equal(30000);
      expect(parsed.items).to.have.length(30000);
      expect(parsed.items[29999]).to.deep.equal({ n: 29999, square: 29999 * 29999 });
      expect(reply.frames.length).to.be.greaterThan(2);
    });

    it('sends 103 Early Hints before the final response', async () => {
      const reply = await plain.call('/early-hints');
      const hint = decodeHttpResponse(reply.frames[0]!.payload.subarray(0, reply.frames[0]!.options[0]));
      expect(hint.status).to.equal(103);
      expect(hint.headers['link']).to.deep.equal(['</app.css>; rel=preload; as=style']);
      expect(reply.frames[0]!.streamFlags & StreamFlag.STREAM).to.equal(StreamFlag.STREAM);
      expect(reply.status).to.equal(200);
      expect(reply.body.toString()).to.equal('hinted\n');
    });
  });

  describe('file download with Range', () => {
    it('sends the whole file (200) with its length, type and validators', async () => {
      const reply = await plain.call('/download');
      expect(reply.status).to.equal(200);
      expect(header(reply, 'content-length')).to.equal(String(file.length));
      expect(header(reply, 'accept-ranges')).to.equal('bytes');
      expect(header(reply, 'etag')).to.match(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(reply.body.equals(file)).to.equal(true);
      // fileResponse reads 1 MiB per frame by default: one frame per MiB (and one more for the end).
      expect(reply.frames.length, 'sent in 1 MiB chunks, not one frame').to.be.at.least(Math.ceil(file.length / 1_048_576));
    });

    for (const scenario of rangeCases(FILE_SIZE)) {
      it(`Range ${scenario.range}: ${scenario.label}`, async () => {
        const reply = await plain.call('/download', { header: { Range: [scenario.range] } });
        const expected = scenario.expect;
        expect(reply.status).to.equal(expected.status);
        if (expected.status === 416) {
          expect(header(reply, 'content-range')).to.equal(`bytes */${file.length}`);
          expect(reply.body.length).to.equal(0);
        } else if (expected.status === 200) {
          expect(reply.body.equals(file)).to.equal(true);
        } else if ('slice' in expected) {
          const [start, end] = expected.slice;
          expect(header(reply, 'content-range')).to.equal(`bytes ${start}-${end - 1}/${file.length}`);
          expect(header(reply, 'content-length')).to.equal(String(end - start));
          expect(reply.body.equals(file.subarray(start, end)), 'bytes identical to the file slice').to.equal(true);
        } else {
          const parts = parseByteRanges(reply.body, header(reply, 'content-type')!);
          expect(header(reply, 'content-length')).to.equal(String(reply.body.length));
          expect(parts.map((part) => part.contentRange)).to.deep.equal(expected.parts.map(([start, end]) => `bytes ${start}-${end - 1}/${file.length}`));
          expected.parts.forEach(([start, end], i) => expect(parts[i]!.body.equals(file.subarray(start, end)), `part ${i}`).to.equal(true));
        }
      });
    }

    it('answers If-Range with a stale validator by the whole file, and HEAD with headers only', async () => {
      const stale = await plain.call('/download', { header: { Range: ['bytes=0-9'], 'If-Range': ['"stale-0"'] } });
      expect(stale.status).to.equal(200);
      expect(stale.body.equals(file)).to.equal(true);
      const etag = header(stale, 'etag')!;
      const fresh = await plain.call('/download', { header: { Range: ['bytes=0-9'], 'If-Range': [etag] } });
      expect(fresh.status).to.equal(206);
      expect(fresh.body.equals(file.subarray(0, 10))).to.equal(true);
      const head = await plain.call('/download', { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(header(head, 'content-length')).to.equal(String(file.length));
      expect(head.body.length).to.equal(0);
    });

    it('never serves a file outside its root', async () => {
      expect((await plain.call('/files/large.bin', { header: { Range: ['bytes=0-3'] } })).body.equals(file.subarray(0, 4))).to.equal(true);
      // `%2E%2E` is a `..` segment to the URL parser: the path becomes /secret.txt, which no route serves.
      for (const [path, status] of [['/files/..%2Fsecret.txt', 403], ['/files/sub/..%2F..%2Fsecret.txt', 403], ['/files/%2E%2E/secret.txt', 404]] as const) {
        const escaped = await plain.call(path);
        expect(escaped.status, path).to.equal(status);
        expect(escaped.body.toString(), path).to.not.contain('outside the files root');
      }
      expect((await plain.call('/files/missing.bin')).status).to.equal(404);
    });
  });

  describe('trusted proxies', () => {
    const spoofed = { 'X-Forwarded-For': ['6.6.6.6'], 'X-Forwarded-Proto': ['https'], 'X-Forwarded-Host': ['public.example'] };

    it('ignores X-Forwarded-* from a peer the app does not trust', async () => {
      const answer = await plain.json<ClientAnswer>('/client', { header: spoofed });
      expect(answer).to.deep.equal({
        clientAddress: '127.0.0.1',
        peerAddress: '127.0.0.1',
        fromTrustedProxy: false,
        url: `${ORIGIN}/client`,
        scheme: 'http',
        host: '127.0.0.1:8080',
      });
    });

    it('honours them from a trusted peer, and only from it', async () => {
      const honoured = await trusting.json<ClientAnswer>('/client', { header: spoofed });
      expect(honoured).to.deep.equal({
        clientAddress: '6.6.6.6',
        peerAddress: '127.0.0.1',
        fromTrustedProxy: true,
        url: 'https://public.example/client',
        scheme: 'https',
        host: 'public.example',
      });
      // The same headers from another peer, on the same worker: ignored.
      const other = await trusting.json<ClientAnswer>('/client', { header: spoofed, remoteAddr: '203.0.113.9' });
      expect(other).to.deep.include({ clientAddress: '203.0.113.9', fromTrustedProxy: false, scheme: 'http' });
      // A client that forged its own X-Forwarded-For through the trusted proxy: the proxy's entry wins.
      const chained = await trusting.json<ClientAnswer>('/client', { header: { 'X-Forwarded-For': ['6.6.6.6, 198.51.100.7'] } });
      expect(chained.clientAddress).to.equal('198.51.100.7');
    });

    it('gives a session cookie Secure when a trusted proxy says https, and not when an untrusted peer does', async () => {
      const [init, body] = parsedForm({ user: 'carol' });
      const trusted = await trusting.call('/session/login', { ...init, header: { ...init.header, 'X-Forwarded-Proto': ['https'] } }, body);
      expect(setCookies(trusted)[0]).to.match(/; Secure/i);
      const untrusted = await plain.call('/session/login', { ...init, header: { ...init.header, 'X-Forwarded-Proto': ['https'] } }, body);
      expect(setCookies(untrusted)[0]).to.not.match(/; Secure/i);
    });
  });

  describe('multipart uploads, as rr pre-parses them', () => {
    /** The http.v1.Request rr sends for the scenario: fields as a JSON tree, files as an uploads tree over temp files. */
    function multipartRequest(): [Partial<HttpRequestMessage>, Buffer, string[]] {
      const scenario = uploadScenario();
      const tmpNames: string[] = [];
      const leaf = (spec: (typeof scenario.files)[number], i: number) => {
        const tmpName = join(uploadsDir, `upload${process.pid}${i}${Date.now()}`);
        writeFileSync(tmpName, spec.content);
        tmpNames.push(tmpName);
        return { name: spec.name, mime: spec.type, size: spec.content.length, error: 0, tmpName };
      };
      const [doc, one, two] = scenario.files;
      const uploads = {
        doc: leaf(doc!, 0),
        images: [leaf(one!, 1), leaf(two!, 2)],
        [scenario.forbidden.field]: { name: scenario.forbidden.name, mime: 'application/octet-stream', size: 0, error: 8, tmpName: '' },
      };
      const tree = { tags: ['a', 'b'], title: scenario.fields[0]![1] };
      return [
        {
          method: 'POST',
          parsed: true,
          uploads: Buffer.from(JSON.stringify(uploads)),
          header: { 'Content-Type': ['multipart/form-data; boundary=----rr-test'], 'Content-Length': ['9999'] },
        },
        Buffer.from(JSON.stringify(tree)),
        tmpNames,
      ];
    }

    for (const via of ['formdata', 'context'] as const) {
      it(`reads every upload as a File (${via === 'formdata' ? 'request.formData()' : 'RequestContext.files, streamed'})`, async () => {
        const scenario = uploadScenario();
        const [init, body, tmpNames] = multipartRequest();
        const answer = await plain.json<UploadAnswer>(`/upload?via=${via}`, init, body);
        expect(answer.via).to.equal(via);
        expect([...answer.fields].sort()).to.deep.equal([...scenario.fields].sort());
        expect(answer.files).to.deep.equal(
          scenario.files.map((spec) => ({ field: spec.field, name: spec.name, type: spec.type, size: spec.content.length, sha256: sha256(spec.content), isFile: true })),
        );
        expect(answer.uploads.map((upload) => upload.tmpName)).to.deep.equal([...tmpNames, '']);
        expect(answer.uploadErrors).to.deep.equal([{ field: 'tool', name: 'setup.exe', error: 8, errorMessage: answer.uploadErrors[0]?.errorMessage }]);
        expect(answer.uploadErrors[0]!.errorMessage).to.be.a('string').and.match(/extension/i);
        for (const tmpName of tmpNames) rmSync(tmpName, { force: true }); // rr deletes them when the request ends
      });
    }
  });

  describe('sessions shared by workers', () => {
    it('keeps interleaved users apart: each whoami sees only its own user', async () => {
      const workers = [plain, trusting];
      const login = async (worker: RrSide, user: string) => {
        const [init, body] = parsedForm({ user });
        const reply = await worker.call('/session/login', init, body);
        expect(reply.status, reply.body.toString()).to.equal(200);
        const answer = JSON.parse(reply.body.toString()) as SessionAnswer;
        const cookies = setCookies(reply);
        expect(cookies).to.have.length(1);
        expect(cookies[0]).to.match(/^sid=[^;]+; .*HttpOnly/i);
        return { user, secret: answer.secret!, cookie: cookies[0]!.split(';')[0]! };
      };
      // Logins interleaved across the two workers.
      const [alice, bob] = await Promise.all([login(plain, 'alice'), login(trusting, 'bob')]);
      expect(alice.cookie).to.not.equal(bob.cookie);

      const next = seededRandom(0x5e55);
      const seen = new Set<number>();
      for (let round = 0; round < 60; round++) {
        // Both users at once, each on a worker picked at random (often the one the other just used).
        await Promise.all(
          [alice, bob].map(async (client, i) => {
            const worker = workers[next() < 0.5 ? 0 : 1]!;
            const n = `${round}-${i}`;
            const reply = await worker.call(`/session/whoami?n=${n}`, { header: { Cookie: [client.cookie] } });
            const answer = JSON.parse(reply.body.toString()) as SessionAnswer;
            expect(answer, `round ${round}`).to.deep.equal({ user: client.user, secret: client.secret, n, pid: worker.peer.child.pid });
            expect(setCookies(reply), 'no new session').to.deep.equal([]);
            seen.add(answer.pid);
          }),
        );
      }
      expect(seen.size, 'both workers served both users').to.equal(2);

      // Logout on one worker ends the session for the other too (it is in the shared store).
      expect((await trusting.call('/session/logout', { method: 'POST', header: { Cookie: [alice.cookie] } })).status).to.equal(204);
      expect(await plain.json<SessionAnswer>('/session/whoami?n=x', { header: { Cookie: [alice.cookie] } })).to.deep.include({ user: null, secret: null });
      expect(await plain.json<SessionAnswer>('/session/whoami?n=y', { header: { Cookie: [bob.cookie] } })).to.deep.include({ user: 'bob', secret: bob.secret });
      expect(await trusting.json<SessionAnswer>('/session/whoami?n=z')).to.deep.include({ user: null, secret: null });
    });

    it('keeps sessions in an rr KV storage (KvSessionStore): shared by workers, and alive for a replacement worker', async () => {
      const kv = await FakeRrKv.start({ storages: { sessions: 'memory' } });
      const kvEnv = env({ [HTTP_BRIDGE_ENV.sessionStore]: 'kv', [HTTP_BRIDGE_ENV.kvStorage]: 'sessions', [HTTP_BRIDGE_ENV.redisPrefix]: 'app:', RR_RPC: kv.address });
      const workers = await Promise.all([RrSide.spawn(kvEnv), RrSide.spawn(kvEnv)]);
      try {
        const [form, body] = parsedForm({ user: 'frank' });
        const login = await workers[0]!.call('/session/login', form, body);
        const cookie = setCookies(login)[0]!.split(';')[0]!;
        const { secret } = JSON.parse(login.body.toString()) as SessionAnswer;
        const id = cookie.slice('sid='.length);
        expect(kv.entry('sessions', `app:session:${id}`), 'stored under the cache prefix and the store prefix').to.not.equal(undefined);
        expect(await workers[1]!.json<SessionAnswer>('/session/whoami?n=other', { header: { Cookie: [cookie] } })).to.deep.include({ user: 'frank', secret });

        // rr replaces a worker (a reset, max_jobs): the new process finds the session in rr.
        await workers[0]!.dispose();
        workers[0] = await RrSide.spawn(kvEnv);
        expect(await workers[0]!.json<SessionAnswer>('/session/whoami?n=new', { header: { Cookie: [cookie] } })).to.deep.include({ user: 'frank', secret });

        expect((await workers[1]!.call('/session/logout', { method: 'POST', header: { Cookie: [cookie] } })).status).to.equal(204);
        expect(kv.entry('sessions', `app:session:${id}`)).to.equal(undefined);
        expect(await workers[0]!.json<SessionAnswer>('/session/whoami?n=gone', { header: { Cookie: [cookie] } })).to.deep.include({ user: null });
      } finally {
        await Promise.all(workers.map((worker) => worker.dispose()));
        await kv.close();
      }
    });

    it('uses a MemorySessionStore when the environment says so', async () => {
      const worker = await RrSide.spawn(env({ [HTTP_BRIDGE_ENV.sessionStore]: 'memory', [HTTP_BRIDGE_ENV.redisPrefix]: `${prefix}unused:` }));
      try {
        const [a, b] = [parsedForm({ user: 'dave' }), parsedForm({ user: 'erin' })];
        const dave = setCookies(await worker.call('/session/login', a[0], a[1]))[0]!.split(';')[0]!;
        const erin = setCookies(await worker.call('/session/login', b[0], b[1]))[0]!.split(';')[0]!;
        for (let i = 0; i < 5; i++) {
          expect(await worker.json<SessionAnswer>(`/session/whoami?n=${i}`, { header: { Cookie: [dave] } })).to.deep.include({ user: 'dave' });
          expect(await worker.json<SessionAnswer>(`/session/whoami?n=${i}`, { header: { Cookie: [erin] } })).to.deep.include({ user: 'erin' });
        }
        // Nothing went to Redis under that prefix.
        const keys: string[] = [];
        for await (const batch of redis.scanIterator({ MATCH: `${prefix}unused:*`, COUNT: 100 })) keys.push(...batch);
        expect(keys).to.deep.equal([]);
      } finally {
        await worker.dispose();
      }
    });
  });
});


/**
 * The worker entry as rr starts it (a real `node` process over pipes, tcp and unix relays), driven
 * by an in-test peer playing rr's side. The real-rr versions of these checks are in test/e2e.
 */
import { expect } from 'chai';
import { FrameFlag, StreamFlag } from '../../../src/runtime/goridge/flags.js';
import { decodeHttpResponse, encodeHttpRequest } from '../../../src/bridges/http/proto/http-v1.js';
import { ProcessPeer, type RelayKind } from '../../support/process-peer.js';
import type { Frame } from '../../../src/runtime/goridge/frame.js';

const ECHO_APP = 'test/fixtures/apps/echo-app.ts';
const get = (path: string) => encodeHttpRequest({ method: 'GET', uri: `http://127.0.0.1:8080${path}`, protocol: 'HTTP/1.1', remoteAddr: '127.0.0.1' });
const body = (frame: Frame) => frame.payload.subarray(frame.options[0]).toString();
const status = (frame: Frame) => decodeHttpResponse(frame.payload.subarray(0, frame.options[0])).status;

describe('worker process', function () {
  this.timeout(60_000);
  let peer: ProcessPeer | undefined;
  afterEach(async () => {
    await peer?.dispose();
    peer = undefined;
  });

  for (const relay of ['pipes', 'tcp', 'unix'] as RelayKind[]) {
    describe(`over ${relay}`, () => {
      it('reports its own pid, serves requests and exits 0 on CONTROL stop', async () => {
        peer = await ProcessPeer.spawn({ app: ECHO_APP, relay });
        expect(await peer.handshake()).to.equal(peer.child.pid);
        for (let i = 1; i <= 50; i++) {
          peer.request(get('/'));
          const frame = await peer.next();
          expect(frame.flags).to.equal(FrameFlag.CODEC_PROTO);
          expect(status(frame)).to.equal(200);
          expect(body(frame)).to.equal(`hello from ${peer.child.pid} #${i}`);
        }
        peer.controlStop();
        expect(await peer.exited).to.deep.equal({ code: 0, signal: null });
        expect(peer.stdoutBytes).to.equal(0);
      });
    });
  }

  it('keeps the frame stream intact when a handler writes to console.log and process.stdout', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP, relay: 'pipes' });
    await peer.handshake();
    peer.request(get('/log'));
    expect(body(await peer.next())).to.equal('logged');
    peer.request(get('/'));
    expect(body(await peer.next())).to.match(/^hello from/);
    expect(peer.stderr).to.contain('console.log from a handler');
    expect(peer.stderr).to.contain('raw stdout write from a handler');
  });

  it('gives every request a fresh scope and resets Resettable singletons between requests', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP });
    await peer.handshake();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      peer.request(get('/state'));
      seen.push(body(await peer.next()));
    }
    expect(seen).to.deep.equal(['1 1', '2 1', '3 1']);
  });

  it('answers a throwing handler with an ERROR frame and keeps serving', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP });
    await peer.handshake();
    peer.request(get('/error'));
    const error = await peer.next();
    expect(error.flags & FrameFlag.ERROR).to.equal(FrameFlag.ERROR);
    expect(error.payload.toString()).to.contain('handler failed on purpose');
    peer.request(get('/'));
    expect(status(await peer.next())).to.equal(200);
  });

  it('stops a stream on STOP: the generator finally runs and one final frame closes it', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP });
    await peer.handshake();
    peer.request(get('/stream?delay=5'));
    const first = await peer.next();
    expect(first.streamFlags & StreamFlag.STREAM).to.equal(StreamFlag.STREAM);
    peer.streamStop();
    let frame = first;
    while (frame.streamFlags & StreamFlag.STREAM) frame = await peer.next();
    expect(frame.options).to.have.length(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(peer.stderr).to.contain('stream-finally');
    peer.request(get('/'));
    expect(status(await peer.next())).to.equal(200);
  });

  it('exits 0 on EOF', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP });
    await peer.handshake();
    peer.endInput();
    expect((await peer.exited).code).to.equal(0);
  });

  it('finishes the current unit on SIGTERM, then exits 0', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP });
    await peer.handshake();
    peer.request(get('/stream?n=3&delay=100'));
    let frame = await peer.next();
    peer.child.kill('SIGTERM');
    let received = body(frame);
    while (frame.streamFlags & StreamFlag.STREAM) {
      frame = await peer.next();
      received += body(frame);
    }
    expect(received).to.equal('chunk 0\nchunk 1\nchunk 2\n');
    expect((await peer.exited).code).to.equal(0);
  });

  it('exits 1 with a clear message when RR_MODE is not served', async () => {
    peer = await ProcessPeer.spawn({ app: ECHO_APP, mode: 'jobs' });
    expect((await peer.exited).code).to.equal(1);
    expect(peer.stderr).to.contain('RR_MODE=jobs is not supported by this application; registered modes: http');
  });

  /** The HTTP reply of a frame: status and body. */
  function reply(frame: Frame) {
    const context = frame.payload.subarray(0, frame.options[0]);
    return { status: decodeHttpResponse(context).status, body: frame.payload.subarray(frame.options[0]).toString() };
  }

  it('answers 503 with a safe body on every request when the mode fails to boot, instead of crash-looping', async () => {
    peer = await ProcessPeer.spawn({ app: 'test/fixtures/apps/failing-boot-app.ts' });
    await peer.handshake();
    for (let i = 0; i < 2; i++) {
      peer.request(get('/'));
      expect(reply(await peer.next())).to.deep.equal({ status: 503, body: '503 Service Unavailable\n' });
    }
    // One line naming the cause (no RR_RPC here, so on stderr rather than through rr's app logger).
    expect(peer.stderr.match(/failed to boot/g)).to.have.length(1);
    expect(peer.stderr).to.contain('database unreachable at boot');
    expect(peer.child.exitCode).to.equal(null);
  });

  it('answers an app module that throws on import the same way', async () => {
    peer = await ProcessPeer.spawn({ app: 'test/fixtures/apps/throwing-module-app.ts' });
    await peer.handshake();
    peer.request(get('/'));
    expect(reply(await peer.next())).to.deep.equal({ status: 503, body: '503 Service Unavailable\n' });
    expect(peer.stderr).to.contain('syntax of the config is wrong');
  });

  describe('kv.auto_register with no call from the app', () => {
    const KV_APP = 'test/fixtures/apps/kv-defaults-app.ts';
    const CONFIG = { ROADRUNNER_RUNTIME_CONFIG: 'test/fixtures/config/kv-defaults/roadrunner.yaml' };

    it("gives the app's container a cache per storage in rr's config", async () => {
      peer = await ProcessPeer.spawn({ app: KV_APP, env: CONFIG });
      await peer.handshake();
      peer.request(get('/'));
      expect(reply(await peer.next())).to.deep.equal({ status: 200, body: 'local,sessions' });
    });

    it('registers none when defineApp({ config }) turns kv.auto_register off', async () => {
      peer = await ProcessPeer.spawn({ app: KV_APP, env: { ...CONFIG, KV_DEFAULTS_APP_CONFIG: 'off' } });
      await peer.handshake();
      peer.request(get('/'));
      expect(reply(await peer.next())).to.deep.equal({ status: 200, body: '' });
    });

    it('fails the boot, naming the fix, when a container created during the import already took the caches defineApp({ config }) turns off', async () => {
      peer = await ProcessPeer.spawn({ app: KV_APP, env: { ...CONFIG, KV_DEFAULTS_APP_CONFIG: 'off', KV_DEFAULTS_APP_CONTAINER: 'module' } });
      await peer.handshake();
      peer.request(get('/'));
      expect(reply(await peer.next())).to.deep.equal({ status: 503, body: '503 Service Unavailable\n' });
      expect(peer.stderr).to.contain('set kv.* in roadrunner.yaml');
    });
  });
});

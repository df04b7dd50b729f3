/**
 * RoadRunner's own http plugin scenarios, with our worker where rr's tests run PHP workers.
 *
 * The Go tests of `github.com/roadrunner-server/http/v5` v5.3.0 (the http plugin rr v2025.1.15
 * builds in: tests/handler_test.go, uploads_test.go, http_plugin*_test.go) and rr's own e2e suite
 * (roadrunner v2025.1.15, tests/e2e_http_test.go) drive PHP workers from tests/php_test_files
 * through rr. Here the same client-side scenarios run against the real `rr serve` with
 * test/fixtures/apps/rr-scenarios-app.ts (one route per PHP script) and assert what those tests
 * assert: status, headers, bodies. Each inner describe is named after the Go test it repeats;
 * the few extra checks are marked "beyond rr's test". A failure here means a user moving from a
 * PHP worker to ours would notice a difference.
 *
 * Not repeated: tests of rr alone, whatever the worker (TLS, mTLS, HTTP/3, FastCGI, IPv6
 * listeners, static path-traversal refusals, OTLP, init/no-config-section), tests that need Go
 * test plugins (TestHttpMiddleware's custom middleware), and PHP-only ones (a worker printing to
 * STDOUT or failing before its handshake: our stdout guard and boot handling differ on purpose).
 *
 * Several rr instances are started, each with the config a group of Go tests needs; the harness
 * picks free ports on 127.0.0.1.
 */
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { RpcClient } from '../../src/runtime/rpc/index.js';
import { seededBytes } from '../fixtures/apps/http-bridge-app.test-support.js';
import { send, waitFor, type HttpReply } from './support/http-client.js';
import { httpWorkerPids, RrServer, type RrOptions } from './support/rr-server.js';

const APP = 'test/fixtures/apps/rr-scenarios-app.ts';

/** `foo=<bytes>` urlencoded byte by byte, as Go's `url.Values.Encode` does for arbitrary bytes. */
function urlencodedField(name: string, value: Buffer): Buffer {
  const unreserved = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
  const hex = '0123456789ABCDEF';
  const out = Buffer.allocUnsafe(name.length + 1 + value.length * 3);
  let at = out.write(`${name}=`, 'latin1');
  for (const b of value) {
    if (unreserved(b)) out[at++] = b;
    else if (b === 0x20) out[at++] = 0x2b;
    else {
      out[at++] = 0x25;
      out[at++] = hex.charCodeAt(b >> 4);
      out[at++] = hex.charCodeAt(b & 15);
    }
  }
  return out.subarray(0, at);
}

const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');

/** What upload.php reports for one file; with an error, no size and no hash (rr sends none). */
function fileString(name: string, content: Buffer, error = 0): string {
  return JSON.stringify(
    error === 0
      ? { name, size: content.length, mime: 'application/octet-stream', error, sha512: sha512(content) }
      : { name, size: 0, mime: 'application/octet-stream', error },
  );
}

/** The file rr's upload tests send (they send their own source, uploads_test.go, ~15 KB). */
const UPLOAD_CONTENT = seededBytes(15_377, 0x5eed);

function multipart(fields: Array<[string, string]>, files: Array<[string, string, Buffer]> = []): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  for (const [name, filename, content] of files) form.append(name, new File([content], filename, { type: 'application/octet-stream' }));
  return form;
}

/** The fields of TestHandler_FormData_* and TestHandler_Multipart_*, in the order the Go tests add them. */
const FORM_FIELDS: Array<[string, string]> = [
  ['key', 'value'],
  ['name[]', 'name1'],
  ['name[]', 'name2'],
  ['name[]', 'name3'],
  ['arr[x][y][z]', 'y'],
  ['arr[x][y][e]', 'f'],
  ['arr[c]p', 'l'],
  ['arr[c]z', ''],
];

/** What data.php answers for FORM_FIELDS: rr's tree (`arr[c]p` is `arr[c][p]` to rr). */
const FORM_TREE = { arr: { c: { p: 'l', z: '' }, x: { y: { e: 'f', z: 'y' } } }, key: 'value', name: ['name1', 'name2', 'name3'] };

/** The same form read back with `request.formData()`: bracket keys, one pair per value. */
const FORM_PAIRS = [
  ['arr[c][p]', 'l'],
  ['arr[c][z]', ''],
  ['arr[x][y][e]', 'f'],
  ['arr[x][y][z]', 'y'],
  ['key', 'value'],
  ['name[]', 'name1'],
  ['name[]', 'name2'],
  ['name[]', 'name3'],
];

const sortPairs = (pairs: string[][]) => [...pairs].sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));

/** Starts rr for one `describe` and stops it after; `rr()` is the running instance. */
function useRr(options: () => RrOptions): () => RrServer {
  let rr: RrServer | undefined;
  before(async function () {
    this.timeout(120_000);
    rr = await RrServer.start(options());
  });
  after(async function () {
    this.timeout(60_000);
    await rr?.stop().catch(() => {});
    await rr?.dispose();
  });
  return () => rr!;
}

describe('rr http plugin scenarios (roadrunner-server/http v5.3.0 tests) with our worker', function () {
  this.timeout(120_000);
  const scratch = mkdtempSync(join(tmpdir(), 'rr-scenarios-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  describe('rr with the usual test config (httpMode + fetchKernel, 2 workers)', () => {
    const uploadsDir = join(scratch, 'uploads');
    mkdirSync(uploadsDir);
    const rr = useRr(() => ({
      app: APP,
      workers: 2,
      env: { ENV_KEY: 'env-value-from-rr' },
      extraYaml: [
        '  max_request_size: 30',
        '  access_logs: true',
        '  http2:',
        '    h2c: true',
        '  uploads:',
        `    dir: ${JSON.stringify(uploadsDir)}`,
        '    forbid: [".exe", ".bat"]',
      ].join('\n'),
    }));

    describe('TestHandler_Echo', () => {
      it('GET /?hello=world: 201 and WORLD', async () => {
        const reply = await send(rr().httpUrl, '/?hello=world');
        expect(reply.status).to.equal(201);
        expect(reply.body.toString()).to.equal('WORLD');
      });
    });

    describe('TestHandler_Headers', () => {
      it('reads the `input` request header and sets `Header` from the query', async () => {
        const reply = await send(rr().httpUrl, '/header?hello=world', { headers: { input: 'sample' } });
        expect(reply.status).to.equal(200);
        expect(reply.headers.header).to.equal('world');
        expect(reply.body.toString()).to.equal('SAMPLE');
      });
    });

    describe('TestHandler_Empty_User_Agent', () => {
      it('answers an empty body to a request without User-Agent', async () => {
        const reply = await send(rr().httpUrl, '/user-agent?hello=world');
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('');
      });
    });

    describe('TestHandler_User_Agent', () => {
      it('sees the User-Agent the client sent', async () => {
        const reply = await send(rr().httpUrl, '/user-agent?hello=world', { headers: { 'User-Agent': 'go-agent' } });
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('go-agent');
      });
    });

    describe('TestHandler_Cookies', () => {
      it('reads the `input` cookie and sets the `output` one', async () => {
        const reply = await send(rr().httpUrl, '/cookie', { headers: { Cookie: 'input=input-value' } });
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('INPUT-VALUE');
        expect(reply.headers['set-cookie']).to.deep.equal(['output=cookie-output; HttpOnly']);
      });

      it('sends two Set-Cookie headers as two (beyond rr\'s test)', async () => {
        const reply = await send(rr().httpUrl, '/cookie?multi=1', { headers: { Cookie: 'input=x' } });
        expect(reply.headers['set-cookie']).to.deep.equal(['output=cookie-output; HttpOnly', 'second=2; Path=/']);
      });
    });

    for (const method of ['POST', 'PUT', 'PATCH']) {
      describe(`TestHandler_JsonPayload_${method}`, () => {
        it('gets the raw JSON body and answers it flipped', async () => {
          const reply = await send(rr().httpUrl, '/payload', { method, headers: { 'Content-Type': 'application/json' }, body: '{"key":"value"}' });
          expect(reply.status).to.equal(200);
          expect(reply.body.toString()).to.equal('{"value":"key"}');
        });
      });
    }

    const formCases: Array<{ name: string; method: string; contentType: string; fields: Array<[string, string]>; tree: unknown }> = [
      { name: 'TestHandler_FormData_POST', method: 'POST', contentType: 'application/x-www-form-urlencoded', fields: FORM_FIELDS, tree: FORM_TREE },
      { name: 'TestHandler_FormData_POST_Overwrite', method: 'POST', contentType: 'application/x-www-form-urlencoded', fields: [['key', 'value'], ['key', 'value2'], ...FORM_FIELDS.slice(1)], tree: { ...FORM_TREE, key: 'value2' } },
      { name: 'TestHandler_FormData_POST_Form_UrlEncoded_Charset', method: 'POST', contentType: 'application/x-www-form-urlencoded; charset=UTF-8', fields: FORM_FIELDS, tree: FORM_TREE },
      { name: 'TestHandler_FormData_PUT', method: 'PUT', contentType: 'application/x-www-form-urlencoded', fields: FORM_FIELDS, tree: FORM_TREE },
      { name: 'TestHandler_FormData_PATCH', method: 'PATCH', contentType: 'application/x-www-form-urlencoded', fields: FORM_FIELDS, tree: FORM_TREE },
    ];
    for (const { name, method, contentType, fields, tree } of formCases) {
      describe(name, () => {
        const body = new URLSearchParams(fields).toString();
        it('gets rr\'s parsed form (nested arrays, last plain value wins)', async () => {
          const reply = await send(rr().httpUrl, '/data', { method, headers: { 'Content-Type': contentType }, body });
          expect(reply.status, reply.body.toString()).to.equal(200);
          expect(JSON.parse(reply.body.toString())).to.deep.equal(tree);
        });

        it('reads the same form with request.formData() (beyond rr\'s test)', async () => {
          const reply = await send(rr().httpUrl, '/data?via=formdata', { method, headers: { 'Content-Type': contentType }, body });
          expect(reply.status, reply.body.toString()).to.equal(200);
          const expected = name.endsWith('_Overwrite') ? FORM_PAIRS.map(([k, v]) => (k === 'key' ? [k, 'value2'] : [k, v])) : FORM_PAIRS;
          expect(sortPairs(JSON.parse(reply.body.toString()) as string[][])).to.deep.equal(sortPairs(expected as string[][]));
        });
      });
    }

    for (const method of ['POST', 'PUT', 'PATCH']) {
      describe(`TestHandler_Multipart_${method}`, () => {
        it('gets rr\'s parsed multipart form', async () => {
          const response = await fetch(`${rr().httpUrl}/data`, { method, body: multipart([['key', 'value'], ...FORM_FIELDS]) });
          const text = await response.text();
          expect(response.status, text).to.equal(200);
          expect(JSON.parse(text)).to.deep.equal(FORM_TREE);
        });
      });
    }

    describe('TestHandler_Upload_File', () => {
      it('reports the uploaded file: name, size, mime, no error, sha512 of its content', async () => {
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: multipart([], [['upload', 'uploads_test.go', UPLOAD_CONTENT]]) });
        expect(response.status).to.equal(200);
        expect(await response.text()).to.equal(`{"upload":${fileString('uploads_test.go', UPLOAD_CONTENT)}}`);
      });
    });

    describe('TestHandler_Upload_NestedFile', () => {
      it('keeps the tree of upload[x][y][z][]', async () => {
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: multipart([], [['upload[x][y][z][]', 'uploads_test.go', UPLOAD_CONTENT]]) });
        expect(response.status).to.equal(200);
        expect(await response.text()).to.equal(`{"upload":{"x":{"y":{"z":[${fileString('uploads_test.go', UPLOAD_CONTENT)}]}}}}`);
      });
    });

    describe('TestHTTPMultipartFormTmpFiles', () => {
      it('leaves no temp file behind once the request is answered', async () => {
        const form = multipart([['name', 'John'], ['age', '23']], [['photo', 'test.png', Buffer.alloc(0)]]);
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: form });
        expect(response.status).to.equal(200);
        // The worker read rr's temp file (error 0, the hash of its empty content): one existed.
        expect(await response.text()).to.equal(`{"photo":${fileString('test.png', Buffer.alloc(0))}}`);
        await waitFor(() => readdirSync(uploadsDir).length === 0, `rr's uploads dir empty (holds ${readdirSync(uploadsDir).join(', ')})`, 3_000);
      });
    });

    describe('TestHandler_Error', () => {
      it('a handler that throws gives a 500', async () => {
        const reply = await send(rr().httpUrl, '/error?hello=world');
        expect(reply.status).to.equal(500);
      });
    });

    describe('TestHandler_Error2', () => {
      it('a worker that exits mid-request gives a 500, and the pool keeps serving (the latter beyond rr\'s test)', async () => {
        const reply = await send(rr().httpUrl, '/exit?hello=world');
        expect(reply.status).to.equal(500);
        const next = await send(rr().httpUrl, '/?hello=world');
        expect(next.status).to.equal(201);
        expect(next.body.toString()).to.equal('WORLD');
      });
    });

    describe('TestHandler_IP', () => {
      it('sees the client address 127.0.0.1 (PHP: REMOTE_ADDR)', async () => {
        const reply = await send(rr().httpUrl, '/ip');
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('127.0.0.1');
      });
    });

    describe('TestHTTPAccessLogs', () => {
      it('answers with access_logs on', async () => {
        const reply = await send(rr().httpUrl, '/hello');
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('hello world');
      });
    });

    describe('TestHttpEchoErr', () => {
      it('a handler writing to stderr still answers 201 WORLD, and rr logs the line', async () => {
        const reply = await send(rr().httpUrl, '/echoerr?hello=world');
        expect(reply.status).to.equal(201);
        expect(reply.body.toString()).to.equal('WORLD');
        const marker = `stderr-${process.pid}-${Date.now()}`;
        await send(rr().httpUrl, `/echoerr?hello=${marker}`);
        await waitFor(() => rr().logs.includes(marker.toUpperCase()), 'the stderr line in rr\'s logs', 5_000);
      });
    });

    describe('TestHTTPPost', () => {
      it('BombardWithPosts: 21 JSON POSTs on one kept-alive connection echo their bodies', async () => {
        const body = JSON.stringify({ name: 'foo', index: 111 });
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          const first = await send(rr().httpUrl, '/raw', { method: 'POST', body, agent });
          expect(first.status).to.equal(200);
          expect(first.body.toString()).to.equal(body);
          for (let i = 0; i < 20; i++) {
            const reply = await send(rr().httpUrl, '/raw', { method: 'POST', body, agent, headers: { 'Content-Type': 'application/json' } });
            expect(reply.status).to.equal(200);
            expect(reply.body.toString()).to.equal(body);
            expect(reply.reusedSocket, `request ${i + 2} on the kept-alive connection (beyond rr's test)`).to.equal(true);
          }
        } finally {
          agent.destroy();
        }
      });
    });

    describe('TestH2C', () => {
      it('answers over h2c (HTTP/2 without TLS): 201 WORLD', async () => {
        const session = connectHttp2(rr().httpUrl);
        try {
          const stream = session.request({ ':path': '/?hello=world' });
          const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          expect(headers[':status']).to.equal(201);
          expect(Buffer.concat(chunks).toString()).to.equal('WORLD');
        } finally {
          session.close();
        }
      });
    });

    // roadrunner-server/http tests/handler_request_test.go TestHandler_Trailers (with
    // php_test_files/http/trailers.php), added after v5.3.0; the handler code it exercises
    // (handleProtoTrailers in handler/response.go) is the same in v5.3.0.
    describe('TestHandler_Trailers', () => {
      it('the header announced in Trailer arrives behind the body, not among the headers', async () => {
        const reply = await send(rr().httpUrl, '/trailers');
        expect(reply.status).to.equal(200);
        expect(reply.headers['x-checksum']).to.equal(undefined);
        expect(reply.body.toString()).to.equal('checksummed');
        expect(reply.trailers['x-checksum']).to.equal('abc');
      });

      /** One request over h2c, its headers, body and trailers. */
      async function h2c(path: string) {
        const session = connectHttp2(rr().httpUrl);
        try {
          const stream = session.request({ ':path': path });
          const trailers = new Promise<Record<string, unknown>>((resolve) => stream.once('trailers', (t: Record<string, unknown>) => resolve(t)));
          const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return { headers, body: Buffer.concat(chunks).toString(), trailers: await trailers };
        } finally {
          session.close();
        }
      }

      it("beyond rr's test: over HTTP/2 (h2c) too, for a complete and a streamed body", async () => {
        for (const path of ['/trailers', '/trailers?stream=1']) {
          const reply = await h2c(path);
          expect(reply.headers[':status'], path).to.equal(200);
          expect(reply.headers['x-checksum'], path).to.equal(undefined);
          expect(reply.headers['trailer'], path).to.equal(undefined);
          expect(reply.body, path).to.equal('checksummed');
          expect(reply.trailers['x-checksum'], path).to.equal('abc');
        }
      });
    });

    // TestSSLPushPipes (http/push.php) runs over TLS with Go's client, which speaks HTTP/1.1 there,
    // so nothing is pushed; here the same response over HTTP/1.1, then over h2c where rr pushes.
    describe('TestSSLPushPipes (without TLS)', () => {
      it('answers 201 WORLD over HTTP/1.1, where nothing can be pushed', async () => {
        const reply = await send(rr().httpUrl, '/push?hello=world');
        expect(reply.status).to.equal(201);
        expect(reply.body.toString()).to.equal('WORLD');
      });

      /** One request over h2c; the paths rr pushed along with it. */
      async function h2cWithPushes(enablePush: boolean) {
        const session = connectHttp2(rr().httpUrl, { settings: { enablePush } });
        const pushed: Array<Promise<{ path: string; body: string }>> = [];
        session.on('stream', (stream, headers) => {
          pushed.push(
            (async () => {
              const chunks: Buffer[] = [];
              for await (const chunk of stream) chunks.push(chunk as Buffer);
              return { path: String(headers[':path']), body: Buffer.concat(chunks).toString() };
            })(),
          );
        });
        try {
          const stream = session.request({ ':path': '/push?hello=world' });
          const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return { status: headers[':status'], body: Buffer.concat(chunks).toString(), pushed: await Promise.all(pushed) };
        } finally {
          session.close();
        }
      }

      it("beyond rr's test: over h2c, rr pushes the Http2-Push path to a client that accepts pushes", async () => {
        const reply = await h2cWithPushes(true);
        expect(reply).to.deep.include({ status: 201, body: 'WORLD' });
        expect(reply.pushed).to.deep.equal([{ path: '/hello', body: 'hello world' }]);
      });

      it("beyond rr's test, rr's own behaviour (see the README): a client that refuses pushes, as browsers do, gets an empty 200", async () => {
        // rr v5.3.0 handler/response.go returns Push's http.ErrNotSupported and abandons the
        // response: Http2-Push is only for clients known to accept pushes.
        const reply = await h2cWithPushes(false);
        expect(reply).to.deep.include({ status: 200, body: '', pushed: [] });
        await waitFor(() => rr().logs.includes('feature not supported'), "rr's log of the refused push");
      });
    });

    describe('TestHTTPNonExistingHTTPCode', () => {
      it('a response with status 610 gives a 500', async () => {
        const reply = await send(rr().httpUrl, '/non-existing-status');
        expect(reply.status).to.equal(500);
      });
    });

    describe('TestStream103', () => {
      it('1xx responses before a streamed 200: all their headers arrive, and ten lines', async () => {
        const reply = await send(rr().httpUrl, '/stream-103');
        expect(reply.status).to.equal(200);
        expect(reply.body.toString().split('\n')).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
        // rr's test also sends a 101 with X-101: our earlyHints refuses 101 (a protocol switch).
        // Only the first 1xx reaches the client: rr's log middleware drops every later WriteHeader.
        expect(reply.headers.link).to.equal('</style111.css>; rel=preload; as=style');
        expect(reply.headers['x-100']).to.equal('100');
        expect(reply.headers['x-102']).to.equal('102');
        expect(reply.headers['x-103']).to.equal('103');
        expect(reply.headers['x-200']).to.equal('200');
      });
    });

    describe('TestHTTPBigURLEncoded2', () => {
      it('an 11 MB random value urlencoded (~28 MB) under max_request_size 30 is served', async () => {
        const body = urlencodedField('foo', seededBytes(11 * 1024 * 1024, 0xb16));
        const reply = await send(rr().httpUrl, '/big', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, timeoutMs: 60_000 });
        expect(reply.status, reply.body.subarray(0, 300).toString()).to.equal(200);
        expect(reply.body.length).to.equal(5 * 1024 * 1024);
      });
    });

    describe('server.env (http/env.php; roadrunner-server/server .rr-env.yaml)', () => {
      it('the worker sees the variables of server.env', async () => {
        const reply = await send(rr().httpUrl, '/env');
        expect(reply.status).to.equal(200);
        expect(reply.body.toString()).to.equal('env-value-from-rr');
      });
    });

    describe('TestHTTPAddWorkers', () => {
      it('workers added and removed through informer RPC serve requests', async () => {
        const rpc = new RpcClient({ address: rr().rpcAddress });
        try {
          await waitFor(async () => (await httpWorkerPids(rpc)).length === 2, 'two workers');
          await rpc.call('informer.AddWorker', 'http');
          expect(await httpWorkerPids(rpc)).to.have.length(3);
          for (let i = 0; i < 3; i++) await rpc.call('informer.RemoveWorker', 'http');
          expect(await httpWorkerPids(rpc)).to.have.length(1);
          await rpc.call('informer.AddWorker', 'http');
          for (let i = 0; i < 2; i++) {
            const reply = await send(rr().httpUrl, '/hello');
            expect(reply.status).to.equal(200);
            expect(reply.body.toString()).to.equal('hello world');
          }
        } finally {
          await rpc.close();
        }
      });
    });

    describe('TestHTTPInformerReset', () => {
      it('informer lists 2 workers; echo before and after resetter.Reset', async () => {
        const rpc = new RpcClient({ address: rr().rpcAddress });
        try {
          await waitFor(async () => (await httpWorkerPids(rpc)).length === 2, 'two workers');
          const before = await send(rr().httpUrl, '/?hello=world');
          expect([before.status, before.body.toString()]).to.deep.equal([201, 'WORLD']);
          expect(await rpc.call('resetter.Reset', 'http')).to.equal(true);
          expect(await rpc.call('resetter.List')).to.include('http');
          const afterReset = await send(rr().httpUrl, '/?hello=world');
          expect([afterReset.status, afterReset.body.toString()]).to.deep.equal([201, 'WORLD']);
        } finally {
          await rpc.close();
        }
      });
    });
  });

  describe('rr with raw_body and internal_error_code 444, served by the bare createHttpHandler loop (PHP\'s PSR7Worker loop)', () => {
    const rr = useRr(() => ({
      app: APP,
      workers: 1,
      env: { RR_SCENARIOS_SERVE: 'handler' },
      extraYaml: ['  raw_body: true', '  internal_error_code: 444'].join('\n'),
    }));

    describe('TestHandler_Echo', () => {
      it('GET /?hello=world: 201 and WORLD', async () => {
        const reply = await send(rr().httpUrl, '/?hello=world');
        expect([reply.status, reply.body.toString()]).to.deep.equal([201, 'WORLD']);
      });
    });

    describe('TestHandler_UrlEncoded_POST_DELETE', () => {
      const body = 'arr[x][y][e]=f&arr[c]p=l&arr[c]z=&key=value&name[]=name1&name[]=name2&name[]=name3&arr[x][y][z]=y';
      for (const method of ['POST', 'DELETE']) {
        it(`${method}: the urlencoded body arrives as sent`, async () => {
          const reply = await send(rr().httpUrl, '/raw', { method, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
          expect(reply.status).to.equal(200);
          expect(reply.body.toString()).to.equal(body);
        });
      }
    });

    describe('TestHTTPIssue659', () => {
      it('a failing request gets internal_error_code 444 and an empty body', async () => {
        const reply = await send(rr().httpUrl, '/error?message=test_error');
        expect(reply.status).to.equal(444);
        expect(reply.body.toString()).to.equal('');
      });
    });
  });

  describe("rr with max_request_size 1, internal_error_code 444 and restrictive uploads (httpMode, unhandledErrors: 'rr')", () => {
    const rr = useRr(() => ({
      app: APP,
      workers: 1,
      env: { RR_SCENARIOS_UNHANDLED_ERRORS: 'rr' },
      extraYaml: [
        '  max_request_size: 1',
        '  internal_error_code: 444',
        '  uploads:',
        `    dir: ${JSON.stringify(join(scratch, 'no-such-dir'))}`,
        '    forbid: [".go"]',
        '    allow: [".txt"]',
      ].join('\n'),
    }));

    describe('TestHTTPBigRequestSize', () => {
      it('a 10 MB body gets 413 and rr\'s message', async () => {
        const reply = await send(rr().httpUrl, '/?hello=world', { body: seededBytes(10 * 1024 * 1024, 7), sendAtMost: 2 * 1024 * 1024 });
        expect(reply.status).to.equal(413);
        expect(reply.body.toString()).to.equal('serve_http: http: request body too large\n');
      });
    });

    describe('TestHTTPBigRespMaxReqSize', () => {
      it('a 2 MB POST gets 413', async () => {
        const reply = await send(rr().httpUrl, '/', { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024, 0x20) });
        expect(reply.status).to.equal(413);
      });
    });

    describe('TestHTTPBigURLEncoded', () => {
      it('an 11 MB random value urlencoded gets 413', async () => {
        const body = urlencodedField('foo', seededBytes(11 * 1024 * 1024, 0xb16));
        // 2 MiB is past the 1 MB limit: rr answers 413 and closes, so the rest is not sent.
        const reply = await send(rr().httpUrl, '/big', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body, sendAtMost: 2 * 1024 * 1024, timeoutMs: 60_000 });
        expect(reply.status).to.equal(413);
      });
    });

    describe('TestHTTPIssue659', () => {
      it("a failing request gets internal_error_code 444 and an empty body, under httpMode with unhandledErrors: 'rr'", async () => {
        const reply = await send(rr().httpUrl, '/error?message=test_error');
        expect(reply.status, reply.body.toString().slice(0, 200)).to.equal(444);
        expect(reply.body.toString()).to.equal('');
      });
    });

    describe('TestHandler_Upload_File_NoTmpDir', () => {
      it('reports error 6 (UPLOAD_ERR_NO_TMP_DIR) when uploads.dir does not exist', async () => {
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: multipart([], [['upload', 'uploads_test.txt', UPLOAD_CONTENT]]) });
        expect(response.status).to.equal(200);
        expect(await response.text()).to.equal(`{"upload":${fileString('uploads_test.txt', UPLOAD_CONTENT, 6)}}`);
      });
    });

    describe('TestHandler_Upload_File_Forbids', () => {
      it('reports error 8 (UPLOAD_ERR_EXTENSION) for a forbidden extension', async () => {
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: multipart([], [['upload', 'uploads_test.go', UPLOAD_CONTENT]]) });
        expect(response.status).to.equal(200);
        expect(await response.text()).to.equal(`{"upload":${fileString('uploads_test.go', UPLOAD_CONTENT, 8)}}`);
      });
    });

    describe('TestHandler_Upload_File_NotAllowed', () => {
      it('reports error 8 (UPLOAD_ERR_EXTENSION) for an extension not in uploads.allow', async () => {
        const response = await fetch(`${rr().httpUrl}/upload`, { method: 'POST', body: multipart([], [['upload', 'uploads_test.md', UPLOAD_CONTENT]]) });
        expect(response.status).to.equal(200);
        expect(await response.text()).to.equal(`{"upload":${fileString('uploads_test.md', UPLOAD_CONTENT, 8)}}`);
      });
    });
  });

  describe('rr with internal_error_code 444 (httpMode, default unhandledErrors)', () => {
    const rr = useRr(() => ({ app: APP, workers: 1, extraYaml: '  internal_error_code: 444' }));

    it("beyond rr's test: the worker answers a throwing handler itself, with its 500 page, not rr's code, and no detail outside development", async () => {
      const reply = await send(rr().httpUrl, '/error?message=test_error');
      expect(reply.status).to.equal(500);
      expect(reply.body.toString()).to.equal('500 Internal Server Error\n');
    });
  });

  for (const serve of ['kernel', 'handler'] as const) {
    describe(`rr with pool.debug (${serve === 'kernel' ? 'httpMode' : 'the bare createHttpHandler loop'})`, () => {
      // rr's debug mode is a development setting: the worker names errors only under NODE_ENV=development.
      const rr = useRr(() => ({ app: APP, workers: 1, env: { RR_SCENARIOS_SERVE: serve, NODE_ENV: 'development' }, extraYaml: '    debug: true' }));

      describe('TestDebugModeResponse', () => {
        it('a failing request gets a 500 whose body names the error', async () => {
          const reply = await send(rr().httpUrl, '/error?message=test');
          expect(reply.body.toString()).to.contain('Error: test');
          expect(reply.status).to.equal(500);
        });
      });
    });
  }

  describe('rr with the headers, static, gzip and sendfile middleware (httpMode)', () => {
    const staticDir = join(scratch, 'static');
    mkdirSync(join(staticDir, 'http'), { recursive: true });
    writeFileSync(join(staticDir, 'sample.txt'), 'sample: Hello from RoadRunner e2e static file test!\n');
    writeFileSync(join(staticDir, 'client.php'), '<?php echo "never served";\n');
    const sendFile = join(scratch, 'well');
    const sendFileContent = seededBytes(3 * 1024 * 1024 + 17, 0xfeed);
    writeFileSync(sendFile, sendFileContent);

    const rr = useRr(() => ({
      app: APP,
      workers: 2,
      env: { RR_SCENARIOS_SENDFILE: sendFile },
      extraYaml: [
        '  middleware: ["headers", "static", "gzip", "sendfile"]',
        '  headers:',
        '    response:',
        '      X-Test: "e2e-roadrunner"',
        '  static:',
        `    dir: ${JSON.stringify(staticDir)}`,
        '    forbid: [".php", ".htaccess"]',
        '    allow: [".txt"]',
        '    calculate_etag: true',
        '    weak: false',
        '    request:',
        '      input: "custom-header"',
        '    response:',
        '      output: "output-header"',
      ].join('\n'),
    }));

    const body = (reply: HttpReply) => (reply.headers['content-encoding'] === 'gzip' ? gunzipSync(reply.body) : reply.body);

    describe('TestHTTPWithMiddleware (roadrunner tests/e2e_http_test.go)', () => {
      it('EchoWithMiddleware: 201, the headers middleware\'s X-Test, gzip, WORLD', async () => {
        const reply = await send(rr().httpUrl, '/?hello=world', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(reply.status).to.equal(201);
        expect(reply.headers['x-test']).to.equal('e2e-roadrunner');
        expect(reply.headers['content-encoding']).to.equal('gzip');
        expect(gunzipSync(reply.body).toString()).to.equal('WORLD');
      });
    });

    describe('TestHTTPStaticFile (roadrunner tests/e2e_http_test.go)', () => {
      it('ServeStaticFile, then FallThroughToPHP (to our worker)', async () => {
        const file = await send(rr().httpUrl, '/sample.txt');
        expect(file.status).to.equal(200);
        expect(file.body.toString()).to.contain('Hello from RoadRunner e2e static file test!');
        const worker = await send(rr().httpUrl, '/?hello=world');
        expect([worker.status, worker.body.toString()]).to.deep.equal([201, 'WORLD']);
      });
    });

    describe('TestStaticPlugin', () => {
      it('ServeSample and StaticHeaders: the file, with the static response header', async () => {
        const reply = await send(rr().httpUrl, '/sample.txt');
        expect(reply.body.toString()).to.contain('sample');
        expect(reply.headers.output).to.equal('output-header');
      });
    });

    describe('TestStaticEtagPlugin', () => {
      it('ServeSampleEtag: 200 with an ETag, then 304 for If-None-Match', async () => {
        const first = await send(rr().httpUrl, '/sample.txt');
        expect(first.status).to.equal(200);
        expect(first.body.toString()).to.contain('sample');
        const etag = first.headers.etag;
        expect(etag).to.be.a('string');
        const second = await send(rr().httpUrl, '/sample.txt', { headers: { 'If-None-Match': etag! } });
        expect(second.status).to.equal(304);
      });

      it('NoStaticHeaders: a request served by the worker carries no static headers', async () => {
        const reply = await send(rr().httpUrl, '/');
        expect(reply.status).to.equal(200);
        expect(reply.headers.input).to.not.equal('custom-header');
        expect(reply.headers.output).to.not.equal('output-header');
      });
    });

    describe('TestStaticFilesForbid', () => {
      for (const path of ['/http?hello=world', '/client.XXX?hello=world', '/client.php?hello=world']) {
        it(`${path.split('?')[0]} (a directory, a missing file, a forbidden extension) reaches the worker: WORLD`, async () => {
          const reply = await send(rr().httpUrl, path);
          expect(reply.body.toString()).to.equal('WORLD');
        });
      }
    });

    describe('TestHTTPXSendFile', () => {
      it('rr serves the file the worker names in X-Sendfile, without that header', async () => {
        const reply = await send(rr().httpUrl, '/sendfile');
        expect(reply.headers['x-sendfile']).to.equal(undefined);
        expect(reply.body.length).to.equal(sendFileContent.length);
        expect(reply.body.equals(sendFileContent)).to.equal(true);
      });
    });

    describe('TestHTTPBigResp', () => {
      it('two concurrent 5 MiB responses through gzip are both served whole', async () => {
        const replies = await Promise.all([0, 1].map(() => send(rr().httpUrl, '/big', { headers: { 'Accept-Encoding': 'gzip' } })));
        for (const reply of replies) {
          expect(reply.status).to.equal(200);
          expect(body(reply).equals(Buffer.alloc(5 * 1024 * 1024, 'd'))).to.equal(true);
        }
      });
    });

    describe('TestStreamResponse', () => {
      it('a streamed body (gzip on) arrives as ten lines', async () => {
        const reply = await send(rr().httpUrl, '/stream', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(reply.status).to.equal(200);
        expect(body(reply).toString().split('\n')).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
      });
    });

    describe('TestStreamFail', () => {
      it('a stream that fails after two lines: 200 and those two lines', async () => {
        const reply = await send(rr().httpUrl, '/stream-fail', { headers: { 'Accept-Encoding': 'gzip' } });
        expect(reply.status).to.equal(200);
        expect(body(reply).toString().split('\n').filter((line) => line !== '')).to.deep.equal(['1', '2']);
      });
    });
  });

  describe('rr with a supervised pool: idle_ttl 1s, exec_ttl 2s (httpMode, 1 worker)', () => {
    const rr = useRr(() => ({
      app: APP,
      workers: 1,
      extraYaml: ['    supervisor:', '      watch_tick: 1s', '      ttl: 0s', '      idle_ttl: 1s', '      exec_ttl: 2s'].join('\n'),
    }));

    describe('TestHTTPSupervisedPool', () => {
      it('an idle worker is replaced by a new one, which serves', async () => {
        const rpc = new RpcClient({ address: rr().rpcAddress });
        try {
          const first = await send(rr().httpUrl, '/?hello=world');
          expect([first.status, first.body.toString()]).to.deep.equal([201, 'WORLD']);
          const list = await httpWorkerPids(rpc);
          expect(list).to.have.length(1);
          const pid = list[0]!;
          await waitFor(async () => {
            const now = await httpWorkerPids(rpc);
            return now.length === 1 && now[0] !== pid;
          }, `worker ${pid} replaced after idle_ttl`, 15_000);
          const again = await send(rr().httpUrl, '/?hello=world');
          expect([again.status, again.body.toString()]).to.deep.equal([201, 'WORLD']);
        } finally {
          await rpc.close();
        }
      });
    });

    describe('TestHTTPExecTTL', () => {
      it('a request running past exec_ttl gets a 500, and the pool serves again', async () => {
        const started = Date.now();
        const reply = await send(rr().httpUrl, '/exec-ttl', { timeoutMs: 20_000 });
        expect(reply.status).to.equal(500);
        expect(Date.now() - started).to.be.below(15_000);
        await waitFor(() => rr().logs.includes('EventExecTTL'), 'rr logging EventExecTTL', 5_000);
        expect(rr().logs.split('EventExecTTL').length - 1, 'EventExecTTL logged once').to.equal(1);
        const next = await send(rr().httpUrl, '/?hello=world');
        expect([next.status, next.body.toString()]).to.deep.equal([201, 'WORLD']);
      });
    });
  });
});

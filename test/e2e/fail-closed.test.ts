/**
 * Boot and failure behaviour under the real rr (issue 10): lazy boot that builds nothing before
 * the first request, an uncaught exception that gets its worker replaced while the others keep
 * serving, a boot failure answered with a safe 503 and logged once at error level, and a 500 that
 * shows clients nothing of the error by default.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { RpcClient } from '../../src/runtime/rpc/index.js';
import { ROOT } from '../support/process-peer.js';
import { send, waitFor } from './support/http-client.js';
import { httpWorkerPids, RrServer } from './support/rr-server.js';

const APP = 'test/fixtures/apps/fail-closed-app.ts';

describe('fail closed, lazy boot: under the real rr', function () {
  this.timeout(180_000);

  describe('http.lazy_boot: true in roadrunner.yaml', () => {
    let rr: RrServer;
    let rpc: RpcClient;
    before(async () => {
      rr = await RrServer.start({
        app: APP,
        workers: 2,
        readyWithoutRequests: true,
        env: { ROADRUNNER_RUNTIME_CONFIG: join(ROOT, 'test/fixtures/config/lazy-boot/roadrunner.yaml') },
      });
      rpc = new RpcClient({ address: rr.rpcAddress });
    });
    after(async () => {
      await rpc?.close();
      await rr?.dispose();
    });

    it('answers the handshake before any singleton is built or the kernel booted; the first request does both', async () => {
      await waitFor(async () => (await httpWorkerPids(rpc)).length === 2, 'both workers handshaken');
      expect(rr.logs).to.not.contain('fixture: constructed');
      expect(rr.logs).to.not.contain('fixture: booted');

      const reply = await send(rr.httpUrl, '/pid');
      expect(reply.status).to.equal(200);
      const pid = reply.body.toString();
      await waitFor(() => rr.logs.includes(`fixture: booted the kernel in ${pid}`), 'the kernel booted by the first request');
      expect(rr.logs).to.contain(`fixture: constructed Database in ${pid}`).and.contain(`fixture: constructed the kernel in ${pid}`);
      // The other worker has still built nothing.
      const other = (await httpWorkerPids(rpc)).find((p) => String(p) !== pid)!;
      expect(rr.logs).to.not.contain(`in ${other}\n`);
    });
  });

  describe('errors', () => {
    let rr: RrServer;
    let rpc: RpcClient;
    before(async () => {
      rr = await RrServer.start({ app: APP, workers: 3 });
      rpc = new RpcClient({ address: rr.rpcAddress });
    });
    after(async () => {
      await rpc?.close();
      await rr?.dispose();
    });

    it('answers a throwing handler with a 500 that shows no message, stack or path, and logs no query string', async () => {
      const reply = await send(rr.httpUrl, '/boom?token=s3cr3t');
      expect(reply.status).to.equal(500);
      expect(reply.body.toString()).to.equal('500 Internal Server Error\n');
      await waitFor(() => rr.logs.includes('GET /boom failed'), 'the failure logged');
      expect(rr.logs).to.contain('cannot open /srv/app/secrets/db.key'); // in the log, for the operator
      // rr's own access log (the http plugin's "http log" lines) has the URI; what the worker wrote must not.
      const workerLines = rr.logs.split('\n').filter((line) => !line.includes('http log'));
      expect(workerLines.filter((line) => line.includes('s3cr3t'))).to.deep.equal([]);
    });

    it("replaces a worker after an uncaught exception while concurrent requests on the other workers all succeed", async () => {
      const before = await httpWorkerPids(rpc);
      expect(before).to.have.length(3);
      const crash = send(rr.httpUrl, '/uncaught');
      const others = Array.from({ length: 60 }, () => send(rr.httpUrl, '/'));
      const crashed = await crash;
      expect(crashed.status).to.equal(503);
      const statuses = (await Promise.all(others)).map((reply) => reply.status);
      expect(statuses.every((status) => status === 200), `statuses: ${statuses.join(',')}`).to.equal(true);
      // Requests keep coming until the failed worker has been asked for one, answered it with a
      // replacement request (rr re-dispatched it), and rr replaced it.
      await waitFor(
        async () => {
          const reply = await send(rr.httpUrl, '/');
          expect(reply.status).to.equal(200);
          const now = await httpWorkerPids(rpc);
          return now.length === 3 && now.some((pid) => !before.includes(pid));
        },
        'a new worker in place of the failed one',
        60_000,
      );
      const after = await httpWorkerPids(rpc);
      expect(after.filter((pid) => before.includes(pid))).to.have.length(2);
      expect(rr.logs).to.match(/ERROR\s+app\s+roadrunner-runtime: an error escaped every handler \(Error: escaped from a timer\)/);
    });
  });

  describe('a container that refuses a captive dependency', () => {
    let rr: RrServer | undefined;
    after(async () => rr?.dispose());

    it('answers 503 with a safe body and logs one error-level line naming the chain', async () => {
      rr = await RrServer.start({ app: 'test/fixtures/apps/captive-app.ts', workers: 1, readyWithoutRequests: true });
      for (let i = 0; i < 3; i++) {
        const reply = await send(rr.httpUrl, '/');
        expect(reply.status).to.equal(503);
        expect(reply.body.toString()).to.equal('503 Service Unavailable\n');
      }
      const errorLines = rr.logs.split('\n').filter((line) => /\bERROR\b/.test(line) && line.includes('failed to boot'));
      expect(errorLines, rr.logs).to.have.length(1);
      expect(errorLines[0]).to.contain('singleton "ReportService" -> request-scoped "CurrentUser"');
    });
  });
});

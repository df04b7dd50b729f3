/**
 * The runtime core under the real `rr serve` v2025.1.15, with our worker as `server.command`,
 * over each relay rr supports. Needs rr: scripts/rr.sh builds it (or set RR_BINARY).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { RpcClient } from '../../src/runtime/rpc/index.js';
import { httpWorkerPids, isAlive, RrServer, RR_VERSION, rrBinary } from './support/rr-server.js';
import type { RelayKind } from '../support/process-peer.js';

const APP = 'test/fixtures/apps/echo-app.ts';

async function text(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('runtime core under the real rr', function () {
  this.timeout(180_000);

  it(`runs rr v${RR_VERSION}`, () => {
    expect(execFileSync(rrBinary(), ['--version'], { encoding: 'utf8' })).to.contain(RR_VERSION);
  });

  for (const relay of ['pipes', 'tcp', 'unix'] as RelayKind[]) {
    describe(`relay ${relay}`, () => {
      let rr: RrServer;
      let rpc: RpcClient;

      before(async () => {
        rr = await RrServer.start({ app: APP, relay, workers: 2 });
        rpc = new RpcClient({ address: rr.rpcAddress });
      });
      after(async () => {
        await rpc?.close();
        await rr?.dispose();
      });

      it('completes the handshake and answers 1,000 sequential requests', async () => {
        const pids = await httpWorkerPids(rpc);
        expect(pids).to.have.length(2);
        for (let i = 0; i < 1000; i++) {
          const { status, body } = await text(`${rr.httpUrl}/`);
          expect(status).to.equal(200);
          const pid = Number(/hello from (\d+)/.exec(body)?.[1]);
          expect(pids).to.include(pid);
        }
      });

      it('gives every request a fresh scope and resets Resettable singletons in between', async () => {
        for (let i = 0; i < 20; i++) {
          const { status, body } = await text(`${rr.httpUrl}/state`);
          expect(status).to.equal(200);
          expect(body).to.match(/^\d+ 1$/);
        }
      });

      it('turns an ERROR frame into a 500 and keeps the worker serving', async () => {
        const before = await httpWorkerPids(rpc);
        expect((await text(`${rr.httpUrl}/error`)).status).to.equal(500);
        expect((await text(`${rr.httpUrl}/`)).status).to.equal(200);
        expect(await httpWorkerPids(rpc)).to.deep.equal(before);
      });

      it('keeps framing intact when a handler writes to console.log', async () => {
        for (let i = 0; i < 4; i++) expect(await text(`${rr.httpUrl}/log`)).to.deep.equal({ status: 200, body: 'logged' });
        expect((await text(`${rr.httpUrl}/`)).status).to.equal(200);
        expect(rr.logs).to.contain('console.log from a handler');
      });

      it('replaces a worker that answers {"stop":true}, re-dispatching its request', async () => {
        const before = await httpWorkerPids(rpc);
        const token = `${relay}-${process.pid}-${Date.now()}`;
        const { status, body } = await text(`${rr.httpUrl}/stop?token=${token}`);
        expect(status).to.equal(200);
        expect(body).to.match(new RegExp(`^answered by \\d+ after replacing ${token}$`));
        await waitFor(async () => {
          const after = await httpWorkerPids(rpc);
          return after.length === 2 && after.some((pid) => !before.includes(pid));
        });
        expect((await text(`${rr.httpUrl}/`)).status).to.equal(200);
      });

      it('respawns every worker on resetter.Reset through our RPC client', async () => {
        const before = await httpWorkerPids(rpc);
        expect(await rpc.call('resetter.Reset', 'http')).to.equal(true);
        await waitFor(async () => {
          const after = await httpWorkerPids(rpc);
          return after.length === 2 && after.every((pid) => !before.includes(pid));
        });
        for (const pid of before) await waitFor(async () => !isAlive(pid));
        expect((await text(`${rr.httpUrl}/`)).status).to.equal(200);
      });

      it('stops gracefully on `rr stop`, leaving no worker running', async () => {
        const pids = await httpWorkerPids(rpc);
        await rpc.close();
        expect(await rr.stop()).to.equal(0);
        for (const pid of pids) await waitFor(async () => !isAlive(pid));
      });
    });
  }

  describe('the rr CLI next to a running rr', () => {
    let rr: RrServer;
    let rpc: RpcClient;
    const cli = (...args: string[]) => execFileSync(rrBinary(), [...args, '-c', join(rr.dir, '.rr.yaml')], { encoding: 'utf8' });

    before(async () => {
      rr = await RrServer.start({ app: APP, workers: 2 });
      rpc = new RpcClient({ address: rr.rpcAddress });
    });
    after(async () => {
      await rpc?.close();
      await rr?.dispose();
    });

    it('`rr workers` lists the pool\'s processes and `rr reset` replaces them', async () => {
      const before = await httpWorkerPids(rpc);
      const listed = cli('workers');
      for (const pid of before) expect(listed).to.match(new RegExp(`^http\\s+${pid}\\s+ready`, 'm'));

      expect(cli('reset')).to.contain('http: workers reset');
      await waitFor(async () => {
        const after = await httpWorkerPids(rpc);
        return after.length === 2 && after.every((pid) => !before.includes(pid));
      });
      expect(cli('workers', 'http')).not.to.contain(String(before[0]));
      expect((await text(`${rr.httpUrl}/`)).status).to.equal(200);
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

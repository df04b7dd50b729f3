/**
 * The Centrifugo bridge end to end (issue 13, "Must show" 1-3): the real Centrifugo v6.9.1 calls
 * the real rr's centrifuge plugin (gRPC proxy) for connect, refresh, subscribe, publish, RPC and
 * sub-refresh; rr hands each call to our worker (test/fixtures/apps/centrifugo-bridge-app.ts),
 * whose listeners answer; the clients are the `centrifuge` JavaScript SDK over `ws`. Publishing
 * and presence go the other way: the app's HTTP route calls CentrifugoApi, rr forwards it to
 * Centrifugo's gRPC API.
 */
import { expect } from 'chai';
import { Centrifuge, type PublicationContext, type Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { RpcClient } from '../../src/runtime/rpc/rpc-client.js';
import { CentrifugoDisconnectCode, CentrifugoErrorCode } from '../../src/bridges/centrifugo/index.js';
import { centrifugoPorts, CentrifugoServer, rrCentrifugeYaml } from './support/centrifugo-server.js';
import { RrServer } from './support/rr-server.js';

const APP = 'test/fixtures/apps/centrifugo-bridge-app.ts';

/** What a client's connect attempt ended with. */
type ConnectOutcome = { connected: true; client: string; data: unknown } | { connected: false; code: number; reason: string };

interface Clients {
  open(data?: object): Centrifuge;
  dispose(): void;
}

function clientsFor(centrifugo: () => CentrifugoServer): Clients {
  const open: Centrifuge[] = [];
  return {
    open(data) {
      const client = new Centrifuge(centrifugo().websocketUrl, {
        websocket: WebSocket,
        ...(data === undefined ? {} : { data }),
        timeout: 20_000,
        minReconnectDelay: 100,
        maxReconnectDelay: 1000,
      });
      open.push(client);
      return client;
    },
    dispose() {
      for (const client of open.splice(0)) client.disconnect();
    },
  };
}

/** Connects and resolves with the first outcome: connected, or a terminal disconnect. */
function connect(client: Centrifuge): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    client.once('connected', (ctx) => resolve({ connected: true, client: ctx.client, data: ctx.data }));
    client.once('disconnected', (ctx) => resolve({ connected: false, code: ctx.code, reason: ctx.reason }));
    client.connect();
  });
}

/** Subscribes and resolves with `subscribed`, or the code the subscription ended with. */
function subscribe(subscription: Subscription): Promise<{ subscribed: true; data: unknown } | { subscribed: false; code: number }> {
  return new Promise((resolve) => {
    subscription.once('subscribed', (ctx) => resolve({ subscribed: true, data: ctx.data }));
    subscription.once('unsubscribed', (ctx) => resolve({ subscribed: false, code: ctx.code }));
    subscription.subscribe();
  });
}

function nextPublication(subscription: Subscription): Promise<PublicationContext> {
  return new Promise((resolve) => subscription.once('publication', resolve));
}

async function rpcError(client: Centrifuge, method: string): Promise<{ code: number; message: string; temporary?: boolean }> {
  try {
    await client.rpc(method, {});
  } catch (error) {
    return error as { code: number; message: string; temporary?: boolean };
  }
  throw new Error(`rpc ${method} succeeded`);
}

async function whoami(client: Centrifuge, echo: unknown = null) {
  const { data } = await client.rpc('whoami', { echo });
  return data as { user: string; caller: string; pid: number; seenBefore: string[]; audit: string[]; meta: { refreshed: number } | undefined; echo: unknown };
}

async function centrifugeWorkerPids(rpc: RpcClient): Promise<number[]> {
  const result = (await rpc.call('informer.Workers', 'centrifuge')) as { workers: Array<{ pid: number }> | null };
  return (result.workers ?? []).map((worker) => worker.pid).sort((a, b) => a - b);
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Centrifugo and an rr serving the fixture app, wired to each other on free ports. */
function withPeers(env: Record<string, string> = {}) {
  const peers = { centrifugo: undefined as unknown as CentrifugoServer, rr: undefined as unknown as RrServer, rpc: undefined as unknown as RpcClient };
  before(async () => {
    const ports = await centrifugoPorts();
    // rr first: Centrifugo's first proxy call must find rr listening.
    peers.rr = await RrServer.start({ app: APP, workers: 1, extraYaml: rrCentrifugeYaml(ports, 2), env });
    peers.centrifugo = await CentrifugoServer.start(ports);
    peers.rpc = new RpcClient({ address: peers.rr.rpcAddress });
  });
  after(async () => {
    await peers.rpc?.close();
    await peers.centrifugo?.dispose();
    await peers.rr?.dispose();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.error(`rr logs (last 10,000 characters):\n${peers.rr?.logs.slice(-10_000)}`);
      console.error(`centrifugo logs (last 5,000 characters):\n${peers.centrifugo?.logs.slice(-5_000)}`);
    }
  });
  return peers;
}

describe('Centrifugo bridge under the real rr and Centrifugo', function () {
  this.timeout(120_000);

  describe('with the app’s listeners', () => {
    const peers = withPeers();
    const clients = clientsFor(() => peers.centrifugo);
    afterEach(() => clients.dispose());

    it('connects a client with valid credentials: its user id, and the initial data from the connect listener', async () => {
      const alice = clients.open({ token: 'alice-token' });
      const outcome = await connect(alice);
      expect(outcome.connected, JSON.stringify(outcome)).to.equal(true);
      const { data } = outcome as { data: { greeting: string; pid: number } };
      expect(data.greeting).to.equal('hello Alice');
      const workers = await centrifugeWorkerPids(peers.rpc);
      expect(workers).to.include(data.pid);
      // The user id Centrifugo attached to the connection (not "intruder": the lower-priority
      // listener never ran, propagation was stopped).
      const me = await whoami(alice);
      expect(me.user).to.equal('alice');
    });

    it('disconnects a client whose credentials no listener accepts (3507), and one whose data the schema refuses (107)', async () => {
      const stranger = await connect(clients.open({ token: 'nobody' }));
      expect(stranger).to.deep.equal({ connected: false, code: CentrifugoDisconnectCode.permissionDenied, reason: 'permission denied' });
      const noData = await connect(clients.open());
      expect(noData).to.include({ connected: false, code: CentrifugoErrorCode.badRequest });
      expect((noData as { reason: string }).reason).to.match(/^bad request: data: /);
    });

    it('lets a subscribe through and refuses another (103)', async () => {
      const alice = clients.open({ token: 'alice-token' });
      await connect(alice);
      const own = await subscribe(alice.newSubscription('chat:private-alice'));
      expect(own.subscribed).to.equal(true);
      const foreign = await subscribe(alice.newSubscription('chat:private-bob'));
      expect(foreign).to.deep.equal({ subscribed: false, code: CentrifugoErrorCode.permissionDenied });
      const unknownNamespace = await subscribe(alice.newSubscription('news'));
      expect(unknownNamespace).to.deep.equal({ subscribed: false, code: CentrifugoErrorCode.permissionDenied });
    });

    it('delivers a publication as the publish listener rewrote it', async () => {
      const alice = clients.open({ token: 'alice-token' });
      const bob = clients.open({ token: 'bob-token' });
      await Promise.all([connect(alice), connect(bob)]);
      const bobRoom = bob.newSubscription('chat:lobby');
      expect((await subscribe(bobRoom)).subscribed).to.equal(true);
      const aliceRoom = alice.newSubscription('chat:lobby');
      expect((await subscribe(aliceRoom)).subscribed).to.equal(true);
      const received = nextPublication(bobRoom);
      await aliceRoom.publish({ text: 'hi bob' });
      expect((await received).data).to.deep.equal({ text: 'hi bob', upper: 'HI BOB', by: 'alice' });
    });

    it('answers an RPC with the listener’s result', async () => {
      const bob = clients.open({ token: 'bob-token' });
      await connect(bob);
      const answer = await whoami(bob, { n: 42 });
      expect(answer).to.include({ user: 'bob', caller: 'bob' });
      expect(answer.echo).to.deep.equal({ echo: { n: 42 } });
      expect(answer.seenBefore).to.deep.equal([]);
      expect(await rpcError(bob, 'no-such-method')).to.include({ code: CentrifugoErrorCode.methodNotFound });
    });

    it('refreshes an expiring connection and an expiring subscription through their listeners', async () => {
      const alice = clients.open({ token: 'alice-token', expireIn: 1 });
      const disconnects: number[] = [];
      alice.on('disconnected', (ctx) => disconnects.push(ctx.code));
      expect((await connect(alice)).connected).to.equal(true);
      const expiring = alice.newSubscription('chat:expiring');
      const unsubscribes: number[] = [];
      expiring.on('unsubscribed', (ctx) => unsubscribes.push(ctx.code));
      expect((await subscribe(expiring)).subscribed).to.equal(true);
      const resubscribes: number[] = [];
      expiring.on('subscribing', (ctx) => resubscribes.push(ctx.code));
      // The refresh listener counts its calls in the connection meta, which later proxy calls carry.
      const refreshed = await eventually(async () => {
        const { meta } = await whoami(alice);
        return meta && meta.refreshed >= 1 ? meta.refreshed : undefined;
      }, 'the refresh proxy to extend the connection');
      expect(refreshed).to.be.at.least(1);
      // The sub-refresh listener's new channel info reaches the subscription's presence entry.
      const chanInfo = await eventually(async () => {
        const presence = (await (await fetch(`${peers.rr.httpUrl}/presence/chat:expiring`)).json()) as Record<string, { user: string; chanInfo: unknown }>;
        const entry = Object.values(presence).find((item) => item.user === 'alice');
        return (entry?.chanInfo as { refreshedBy?: string } | undefined)?.refreshedBy === undefined ? undefined : entry!.chanInfo;
      }, 'the sub-refresh proxy to extend the subscription');
      expect(chanInfo).to.deep.equal({ refreshedBy: 'alice' });
      // Both expired (1 s and 2 s) seconds ago; neither the connection nor the subscription was ended.
      await sleep(2000);
      expect(disconnects).to.deep.equal([]);
      expect(unsubscribes).to.deep.equal([]);
      expect(resubscribes).to.deep.equal([]);
      expect(expiring.state).to.equal('subscribed');
      const publication = nextPublication(expiring);
      await expiring.publish({ text: 'still here' });
      expect((await publication).data).to.include({ text: 'still here', by: 'alice' });
    });

    it('delivers a message published through the API service to the subscribed client, and shows it in presence', async () => {
      const bob = clients.open({ token: 'bob-token' });
      const outcome = await connect(bob);
      const news = bob.newSubscription('chat:news');
      expect((await subscribe(news)).subscribed).to.equal(true);
      const received = nextPublication(news);
      const response = await fetch(`${peers.rr.httpUrl}/publish/chat:news`, { method: 'POST', body: JSON.stringify({ headline: 'from the API' }) });
      expect(response.status, await response.clone().text()).to.equal(200);
      const position = (await response.json()) as { offset: number; epoch: string };
      expect(position.offset).to.be.greaterThan(0);
      const publication = await received;
      expect(publication.data).to.deep.equal({ headline: 'from the API' });
      expect(publication.offset).to.equal(position.offset);

      const presence = (await (await fetch(`${peers.rr.httpUrl}/presence/chat:news`)).json()) as Record<string, { user: string; client: string; connInfo: unknown }>;
      const clientId = (outcome as { client: string }).client;
      expect(presence[clientId]).to.deep.include({ user: 'bob', client: clientId, connInfo: { name: 'Bob' } });
      const stats = (await (await fetch(`${peers.rr.httpUrl}/presence-stats/chat:news`)).json()) as { numClients: number; numUsers: number };
      expect(stats).to.deep.equal({ numClients: 1, numUsers: 1 });
      const history = (await (await fetch(`${peers.rr.httpUrl}/history/chat:news`)).json()) as { publications: Array<{ data: unknown; offset: number }> };
      expect(history.publications.map((item) => item.data)).to.deep.include({ headline: 'from the API' });
    });

    it('answers a throwing listener with 100 (internal server error) and keeps the worker serving; a CentrifugoClientError gives its own code', async () => {
      const alice = clients.open({ token: 'alice-token' });
      await connect(alice);
      const before = await centrifugeWorkerPids(peers.rpc);
      for (let i = 0; i < 4; i++) {
        expect(await rpcError(alice, 'boom')).to.deep.include({ code: CentrifugoErrorCode.internal, message: 'internal server error' });
        expect((await whoami(alice)).user).to.equal('alice');
      }
      expect(await rpcError(alice, 'refuse')).to.deep.include({ code: 4001, message: 'refused on purpose' });
      // The same workers: none died or was replaced.
      expect(await centrifugeWorkerPids(peers.rpc)).to.deep.equal(before);
      expect(peers.rr.logs).to.include('centrifugo rpc listener failed, answered 100 (internal server error): Error: the boom RPC always fails');
    });

    it('keeps identities apart: two users interleave 1,000 RPC calls over 2 workers, each answer is its caller’s', async () => {
      const alice = clients.open({ token: 'alice-token' });
      const bob = clients.open({ token: 'bob-token' });
      await Promise.all([connect(alice), connect(bob)]);
      const pids = new Set<number>();
      let calls = 0;
      // 25 rounds of 40 concurrent calls, alternating callers, so both workers hold both users' events.
      for (let round = 0; round < 25; round++) {
        const batch = Array.from({ length: 40 }, async (_, i) => {
          const [client, user] = i % 2 === 0 ? [alice, 'alice'] : [bob, 'bob'];
          const tag = `${user}-${round}-${i}`;
          const answer = await whoami(client, tag);
          expect(answer, tag).to.deep.include({ user, caller: user });
          expect(answer.echo, tag).to.deep.equal({ echo: tag });
          expect(answer.seenBefore, tag).to.deep.equal([]);
          expect(answer.audit, tag).to.deep.equal([user]);
          pids.add(answer.pid);
          calls += 1;
        });
        await Promise.all(batch);
      }
      expect(calls).to.equal(1000);
      expect([...pids].sort((a, b) => a - b)).to.deep.equal(await centrifugeWorkerPids(peers.rpc));
      expect(pids.size).to.equal(2);
    });
  });

  describe('with no listener at all', () => {
    const peers = withPeers({ CENTRIFUGO_APP_LISTENERS: 'none' });
    const clients = clientsFor(() => peers.centrifugo);
    afterEach(() => clients.dispose());

    it('refuses every connection (3507), even with valid credentials', async () => {
      const outcome = await connect(clients.open({ token: 'alice-token' }));
      expect(outcome).to.deep.equal({ connected: false, code: CentrifugoDisconnectCode.permissionDenied, reason: 'permission denied' });
    });
  });
});

/**
 * rr's side of a socket relay in tests: listens (tcp or unix) the way rr does for
 * `server.relay: tcp://…` and hands each accepted worker connection over as a {@link FramePeer}.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FramePeer } from './goridge-frame-peer.js';

export class FakeRr {
  private readonly waiting: Array<(peer: FramePeer) => void> = [];
  private readonly accepted: FramePeer[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The `RR_RELAY` value a worker would get. */
    readonly relay: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      const peer = new FramePeer(socket);
      const waiter = this.waiting.shift();
      if (waiter) waiter(peer);
      else this.accepted.push(peer);
    });
  }

  static async listen(unixPath?: string): Promise<FakeRr> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (unixPath) server.listen(unixPath, resolve);
      else server.listen(0, '127.0.0.1', resolve);
    });
    return new FakeRr(server, unixPath ? `unix://${unixPath}` : `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** The next worker connection. */
  accept(): Promise<FramePeer> {
    const ready = this.accepted.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A local stand-in for Sentry's ingestion endpoint: an HTTP server on 127.0.0.1 (random port) that
 * records every envelope the real SDK sends to `POST /api/<project>/envelope/`, parsed into its
 * header and items. Responses can be held back to show what waits for delivery.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One envelope item: its header (`type`, `length`...) and its payload, JSON-parsed when it is JSON. */
export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  payload: unknown;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** The event fields the tests read. */
export interface RecordedEvent {
  event_id: string;
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  request?: { method?: string; url?: string; query_string?: string; headers?: Record<string, string> };
  breadcrumbs?: Array<{ message?: string }>;
  exception?: { values: Array<{ type: string; value: string; mechanism?: { type: string; handled?: boolean } }> };
}

/**
 * Parses Sentry's envelope format: newline-separated JSON; the first line is the envelope header,
 * then each item is a header line followed by a payload of `length` bytes, or up to the next
 * newline when the header has no `length`.
 */
export function parseEnvelope(bytes: Buffer): Envelope {
  let at = 0;
  const line = (): Buffer => {
    const end = bytes.indexOf(0x0a, at);
    const slice = bytes.subarray(at, end === -1 ? bytes.length : end);
    at = end === -1 ? bytes.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < bytes.length) {
    const headerLine = line();
    if (headerLine.length === 0) continue;
    const itemHeader = JSON.parse(headerLine.toString('utf8')) as EnvelopeItem['header'];
    let raw: Buffer;
    if (typeof itemHeader.length === 'number') {
      raw = bytes.subarray(at, at + itemHeader.length);
      at += itemHeader.length;
      if (bytes[at] === 0x0a) at += 1;
    } else {
      raw = line();
    }
    let payload: unknown = raw;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      // attachments and other binary items stay bytes
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

export class EnvelopeServer {
  /** Every envelope received, in arrival order. */
  readonly envelopes: Envelope[] = [];
  private held: ServerResponse[] | undefined;
  private readonly waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<EnvelopeServer> {
    const server = createServer();
    const recorder = new EnvelopeServer(server);
    server.on('request', (request, response) => void recorder.receive(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return recorder;
  }

  /** A DSN whose ingestion URL is this server, project 1. */
  get dsn(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://publickey@127.0.0.1:${port}/1`;
  }

  /** The `event` items of every envelope received, in arrival order. */
  events(): RecordedEvent[] {
    return this.envelopes.flatMap((envelope) => envelope.items.filter((item) => item.header.type === 'event').map((item) => item.payload as RecordedEvent));
  }

  /** Forgets what was received (and releases held responses). */
  reset(): void {
    this.release();
    this.envelopes.length = 0;
  }

  /** From now on, envelopes are recorded but their responses wait for {@link release}. */
  hold(): void {
    this.held ??= [];
  }

  /** Answers every held response and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const response of held) answer(response);
  }

  /** Resolves once at least `count` events were received; rejects after `timeoutMs`. */
  async waitForEvents(count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${this.events().length} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
    return this.events();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    if (request.method === 'POST' && /\/api\/\d+\/envelope\/?/.test(request.url ?? '')) this.envelopes.push(parseEnvelope(body));
    for (const wake of this.waiters.splice(0)) wake();
    if (this.held) this.held.push(response);
    else answer(response);
  }
}

function answer(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
}

/**
 * What the e2e suites use to talk to rr's HTTP listener and to wait for rr: node:http requests
 * with the whole answer buffered (raw paths are sent as given), and polling with a deadline.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the request went over a kept-alive connection. */
  reusedSocket: boolean;
  /** The trailers that followed the body (chunked HTTP/1.1). */
  trailers: NodeJS.Dict<string>;
}

export interface SendInit {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Default: none (a connection of its own). */
  agent?: Agent;
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * Write only this many bytes of the body (its Content-Length still says the whole size), then
   * wait for the answer: for a server expected to refuse the body early (413). A client that keeps
   * writing after such an answer gets a reset that can discard the answer before it is read.
   */
  sendAtMost?: number;
}

/**
 * One request with node:http, its whole answer buffered. node:http adds no headers of its own
 * (no User-Agent, no Accept-Encoding) beyond Host and Connection; Content-Length is set here for a
 * body. A response that arrives while the body is still being sent (413) is kept: the write error
 * that follows is not.
 */
export function send(base: string, path: string, init: SendInit = {}): Promise<HttpReply> {
  const url = new URL(base);
  const timeoutMs = init.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let answered = false;
    // node:http sends no Content-Length of its own for a GET or DELETE body: Go would not read it.
    const headers = init.body === undefined ? init.headers : { 'Content-Length': Buffer.byteLength(init.body), ...init.headers };
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: init.method ?? 'GET', headers, agent: init.agent ?? false, timeout: timeoutMs },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket, trailers: res.trailers });
          if (!req.writableFinished) req.destroy(); // a body cut short: the connection cannot be reused
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${init.method ?? 'GET'} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (init.sendAtMost === undefined || init.body === undefined) req.end(init.body);
    else req.write(Buffer.from(init.body).subarray(0, init.sendAtMost));
  });
}

/** Polls `check` every 50 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

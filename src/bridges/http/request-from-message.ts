import type { HttpRequestMessage } from './proto/http-v1.js';

const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * Builds the Fetch `Request` for an rr HTTP request: rr's absolute `uri`, every header value, and
 * the frame body. `signal` aborts when rr stops the unit (the client went away).
 */
export function requestFromMessage(message: HttpRequestMessage, body: Buffer, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(message.header)) {
    for (const value of values) headers.append(name, value);
  }
  const method = message.method || 'GET';
  return new Request(message.uri, {
    method,
    headers,
    body: NO_BODY.has(method) || body.length === 0 ? undefined : body,
    signal,
  });
}

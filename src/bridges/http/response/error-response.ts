import { STATUS_CODES } from 'node:http';
import { HttpClientError } from '../errors.js';

/** The response for an {@link HttpClientError}: its status and reason phrase, nothing else. */
export function clientErrorResponse(error: HttpClientError): Response {
  return new Response(`${error.status} ${STATUS_CODES[error.status] ?? 'Client Error'}\n`, {
    status: error.status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}

/**
 * The response for a request whose kernel threw. Development: an HTML page with the error and its
 * stack (escaped). Production: a fixed message, no internals.
 */
export function errorResponse(error: unknown, options: { production: boolean; status?: number }): Response {
  const status = options.status ?? 500;
  const title = status === 503 ? 'Service Unavailable' : 'Internal Server Error';
  if (options.production) {
    return new Response(`${status} ${title}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>${status} ${title}</title></head>
<body><h1>${status} ${title}</h1>
<p>This page shows internals because the worker runs in development mode (NODE_ENV is not "production").</p>
<pre>${escapeHtml(detail)}</pre></body></html>
`;
  return new Response(page, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

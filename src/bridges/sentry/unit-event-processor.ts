import { decodeHttpRequest } from '../http/proto/http-v1.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import type { ResolvedSentryOptions } from './sentry-options.js';
import type { SentryEvent, SentryRequestData } from './sentry-module.js';

/**
 * Builds the event processor that tells, on each event captured during `unit`, which request or
 * job it belonged to. The unit's bytes are decoded only when an event is built (rarely), never on
 * the success path; a unit that cannot be decoded just adds nothing. Modes other than `http` and
 * `jobs` get no processor (their tags come from the mode itself).
 */
export function unitEventProcessor(mode: string, unit: UnitOfWork, options: ResolvedSentryOptions): ((event: SentryEvent) => SentryEvent) | undefined {
  if (mode === 'http') {
    const http = options.httpRequest;
    if (http === false) return undefined;
    return (event) => {
      // Something closer to the request (the app, another integration) already described it.
      if (event.request) return event;
      const request = describeHttpRequest(unit.context, http);
      if (request) event.request = request;
      return event;
    };
  }
  if (mode === 'jobs') {
    return (event) => {
      const job = describeJob(unit.context);
      if (job) event.contexts = { ...event.contexts, job };
      return event;
    };
  }
  return undefined;
}

function describeHttpRequest(context: Buffer, options: { query: boolean; headers: ReadonlySet<string> }): SentryRequestData | undefined {
  let message;
  try {
    message = decodeHttpRequest(context);
  } catch {
    return undefined;
  }
  const data: SentryRequestData = { method: message.method };
  try {
    const url = new URL(message.uri);
    // Query and fragment are left out by default: they often carry tokens.
    data.url = `${url.origin}${url.pathname}`;
    if (options.query && url.search.length > 1) data.query_string = url.search.slice(1);
  } catch {
    data.url = message.uri.split(/[?#]/, 1)[0] ?? '';
  }
  if (options.headers.size > 0) {
    const headers: Record<string, string> = {};
    for (const [name, values] of Object.entries(message.header)) {
      if (options.headers.has(name.toLowerCase())) headers[name.toLowerCase()] = values.join(', ');
    }
    data.headers = headers;
  }
  return data;
}

/** The job's identity from rr's jobs context JSON; never its payload or headers. */
function describeJob(context: Buffer): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(context.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const job: Record<string, unknown> = {};
  for (const key of ['id', 'job', 'pipeline', 'driver', 'queue'] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') job[key] = value;
  }
  return Object.keys(job).length > 0 ? job : undefined;
}

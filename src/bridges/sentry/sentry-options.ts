import { SentryOptionsError } from './errors.js';
import type { SentryModule } from './sentry-module.js';

/** Options of `withSentry` / `withSentryApp`. Every field is optional. */
export interface SentryOptions {
  /**
   * The initialised SDK: `import * as Sentry from '@sentry/node'`, after `Sentry.init()` ran (best
   * in a file loaded with `node --import ./instrument.mjs`, as Sentry documents for ESM).
   * Default: `@sentry/node` is imported when the mode boots; if it is not installed the boot fails
   * with `SentryNotInstalledError`.
   */
  sentry?: SentryModule;
  /**
   * Longest wait, in milliseconds, for queued events to be delivered when the worker stops, and
   * after a boot failure was captured. Must stay well below rr's `pool.destroy_timeout` (rr kills
   * the worker after it). Default 2000, Sentry's own `shutdownTimeout`. 0 skips the wait.
   */
  flushTimeout?: number;
  /**
   * What an event captured during an HTTP unit tells about the request. Default `{}`: the method
   * and the URL without its query string; no headers, no cookies, no body (query strings and
   * headers often carry tokens). `false` attaches nothing. The request is decoded only when an
   * event is actually sent, so successful requests pay nothing.
   */
  httpRequest?: false | HttpRequestDetails;
}

/** Opt-ins for {@link SentryOptions.httpRequest}. */
export interface HttpRequestDetails {
  /** Also send the query string (as Sentry's `query_string`). Default false. */
  query?: boolean;
  /**
   * Request headers to send, by name (case-insensitive), e.g. `['user-agent', 'referer']`. Default
   * none. `cookie`, `authorization` and `proxy-authorization` are refused even when listed.
   */
  headers?: readonly string[];
}

/** {@link SentryOptions} with defaults applied and values checked. */
export interface ResolvedSentryOptions {
  readonly sentry: SentryModule | undefined;
  readonly flushTimeout: number;
  readonly httpRequest: false | { readonly query: boolean; readonly headers: ReadonlySet<string> };
}

/** Headers that identify a user's session or credentials: never sent, whatever the allowlist says. */
export const NEVER_SENT_HEADERS: ReadonlySet<string> = new Set(['cookie', 'authorization', 'proxy-authorization']);

/**
 * Applies defaults and validates, so a typo fails when the app module is loaded rather than at the
 * first error report.
 *
 * @throws {SentryOptionsError} naming the option that is wrong.
 */
export function resolveSentryOptions(options: SentryOptions = {}): ResolvedSentryOptions {
  const flushTimeout = options.flushTimeout ?? 2000;
  if (typeof flushTimeout !== 'number' || !Number.isFinite(flushTimeout) || flushTimeout < 0) {
    throw new SentryOptionsError('flushTimeout', 'a finite number of milliseconds >= 0', flushTimeout);
  }
  const http = options.httpRequest ?? {};
  if (http !== false && (typeof http !== 'object' || http === null)) {
    throw new SentryOptionsError('httpRequest', 'false or an object { query?, headers? }', http);
  }
  let httpRequest: ResolvedSentryOptions['httpRequest'] = false;
  if (http !== false) {
    const headers = http.headers ?? [];
    if (!Array.isArray(headers) || headers.some((name) => typeof name !== 'string')) {
      throw new SentryOptionsError('httpRequest.headers', 'an array of header names', headers);
    }
    const allowed = new Set(headers.map((name) => name.toLowerCase()).filter((name) => !NEVER_SENT_HEADERS.has(name)));
    httpRequest = { query: http.query === true, headers: allowed };
  }
  return { sentry: options.sentry, flushTimeout, httpRequest };
}

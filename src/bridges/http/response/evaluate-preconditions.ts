// `fresh` (Express's `req.fresh`) answers whether a GET or HEAD gets 304. What is ours answers
// what it does not cover, for a stated reason: `If-Match` with the strong comparison RFC 9110
// §13.1.1 asks (the `send` package compares weakly), `If-Unmodified-Since`, an `If-None-Match`
// that fails an unsafe method, and `If-Range`; `send`, which has some of them, only answers a
// node:http response.
import { lazyModule } from '../../../runtime/lazy-module.js';

/** Loaded by the first conditional response (see `lazyModule`). */
const fresh = lazyModule<typeof import('fresh')>('fresh');

/** The validators of the current representation. */
export interface Validators {
  /** A strong entity tag, quotes included (`"abc"`), when the response has one. */
  etag?: string | undefined;
  /** Last modification, in whole seconds (HTTP dates have no finer resolution), when known. */
  lastModified?: Date | undefined;
}

/** What the conditional headers decide. */
export type PreconditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/**
 * Evaluates a request's conditional headers against the representation, in the order RFC 9110
 * §13.2.2 prescribes:
 *
 * 1. `If-Match` (strong comparison; `*` matches any) — failed: 412;
 * 2. otherwise `If-Unmodified-Since` — modified since: 412;
 * 3. for GET/HEAD, `If-None-Match` (weak comparison), else `If-Modified-Since`, as `fresh` decides
 *    them — fresh: 304; a request with `Cache-Control: no-cache` (a forced reload) is never fresh;
 * 4. for other methods, a matching `If-None-Match` — 412.
 *
 * A date that does not parse is ignored, as the RFC asks. `If-Range` is not a precondition: see
 * {@link ifRangeMatches}.
 */
export function evaluatePreconditions(request: Request, validators: Validators): PreconditionOutcome {
  const headers = request.headers;
  const ifMatch = headers.get('if-match');
  if (ifMatch !== null) {
    if (!strongMatch(ifMatch, validators.etag)) return 'precondition-failed';
  } else {
    const since = parseDate(headers.get('if-unmodified-since'));
    if (since !== undefined && validators.lastModified !== undefined && seconds(validators.lastModified) > since) return 'precondition-failed';
  }

  const ifNoneMatch = headers.get('if-none-match') ?? undefined;
  if (request.method === 'GET' || request.method === 'HEAD') {
    const ifModifiedSince = headers.get('if-modified-since') ?? undefined;
    if (ifNoneMatch === undefined && ifModifiedSince === undefined) return 'proceed'; // fresh's own first answer
    // The date is formatted only when fresh compares it: If-Modified-Since without If-None-Match.
    const response = { etag: validators.etag, 'last-modified': ifNoneMatch || !ifModifiedSince ? undefined : validators.lastModified?.toUTCString() };
    const conditional = { 'if-none-match': ifNoneMatch, 'if-modified-since': ifModifiedSince, 'cache-control': headers.get('cache-control') ?? undefined };
    return fresh()(conditional, response) ? 'not-modified' : 'proceed';
  }
  // fresh's weak comparison alone: its reload rule is about serving a cached copy, not about preconditions.
  return ifNoneMatch !== undefined && fresh()({ 'if-none-match': ifNoneMatch }, { etag: validators.etag }) ? 'precondition-failed' : 'proceed';
}

/**
 * Whether a `Range` should be honoured given the request's `If-Range` (RFC 9110 §13.1.5): true
 * without one; with an entity tag, only when it strongly matches the current one (a weak tag never
 * does); with a date, only when it equals the last modification exactly.
 */
export function ifRangeMatches(request: Request, validators: Validators): boolean {
  const ifRange = request.headers.get('if-range')?.trim();
  if (!ifRange) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) {
    return validators.etag !== undefined && !ifRange.startsWith('W/') && ifRange === validators.etag;
  }
  const date = parseDate(ifRange);
  return date !== undefined && validators.lastModified !== undefined && date === seconds(validators.lastModified);
}

/** RFC 9110 §13.1.1: `*` matches an existing representation (callers only evaluate existing files); a weak tag matches nothing. */
function strongMatch(header: string, etag: string | undefined): boolean {
  if (header.trim() === '*') return true;
  if (etag === undefined || etag.startsWith('W/')) return false;
  return header.match(ENTITY_TAG)?.includes(etag) ?? false;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function parseDate(value: string | null): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

/** The validators of the current representation. */
export interface Validators {
  /** A strong entity tag, quotes included (`"abc"`), when the response has one. */
  etag?: string;
  /** Last modification, in whole seconds (HTTP dates have no finer resolution), when known. */
  lastModified?: Date;
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
 * 3. `If-None-Match` (weak comparison) — a match: 304 for GET/HEAD, 412 for other methods;
 * 4. otherwise, for GET/HEAD, `If-Modified-Since` — not modified since: 304.
 *
 * A date that does not parse is ignored, as the RFC asks. `If-Range` is not a precondition: see
 * {@link ifRangeMatches}.
 */
export function evaluatePreconditions(request: Request, validators: Validators): PreconditionOutcome {
  const headers = request.headers;
  const safe = request.method === 'GET' || request.method === 'HEAD';
  const modified = validators.lastModified ? seconds(validators.lastModified) : undefined;

  const ifMatch = headers.get('if-match');
  if (ifMatch !== null) {
    if (!matchesAny(ifMatch, validators.etag, 'strong')) return 'precondition-failed';
  } else {
    const since = parseDate(headers.get('if-unmodified-since'));
    if (since !== undefined && modified !== undefined && modified > since) return 'precondition-failed';
  }

  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) {
    if (matchesAny(ifNoneMatch, validators.etag, 'weak')) return safe ? 'not-modified' : 'precondition-failed';
  } else if (safe) {
    const since = parseDate(headers.get('if-modified-since'));
    if (since !== undefined && modified !== undefined && modified <= since) return 'not-modified';
  }
  return 'proceed';
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

function matchesAny(header: string, etag: string | undefined, comparison: 'strong' | 'weak'): boolean {
  if (header.trim() === '*') return true; // the representation exists: callers only evaluate existing files
  if (etag === undefined) return false;
  const wanted = opaque(etag);
  for (const tag of header.match(ENTITY_TAG) ?? []) {
    if (comparison === 'strong' && (tag.startsWith('W/') || etag.startsWith('W/'))) continue;
    if (opaque(tag) === wanted) return true;
  }
  return false;
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function parseDate(value: string | null): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

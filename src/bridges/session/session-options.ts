import { serialize, type SerializeOptions } from 'cookie';
import { CookieSigner } from './cookie-signer.js';
import { SessionConfigError } from './errors.js';
import type { SessionStore } from './session-store.js';

/** `SameSite` cookie attribute. */
export type SameSite = 'Strict' | 'Lax' | 'None';

/** How the session cookie is written. Every field is optional; defaults suit a same-site web app. */
export interface SessionCookieOptions {
  /** Cookie name. Default `sid`. Must be an HTTP token (letters, digits, `!#$%&'*+-.^_\`|~`). */
  name?: string;
  /** `Path` attribute. Default `/`. */
  path?: string;
  /** `Domain` attribute. Default none: the cookie goes back to the exact host that set it, which is safest. */
  domain?: string;
  /** `HttpOnly`: scripts in the page cannot read the cookie. Default `true`; keep it unless you know why not. */
  httpOnly?: boolean;
  /**
   * `SameSite` attribute (case-insensitive). Default `Lax`: the cookie is not sent on cross-site
   * subrequests and POSTs, which blocks most CSRF. `None` needs `secure: true` or `'auto'`.
   */
  sameSite?: SameSite | Lowercase<SameSite>;
  /**
   * `Secure`: the browser only sends the cookie over HTTPS.
   * - `'auto'` (default): set when this request's URL is `https:`. The URL is the one the HTTP
   *   bridge already corrected through trusted proxies (`X-Forwarded-Proto`, `Forwarded`), so a
   *   TLS-terminating proxy in front of rr still gets `Secure` cookies.
   * - `true` / `false`: always / never.
   */
  secure?: boolean | 'auto';
  /**
   * Lifetime of the cookie in seconds (written as `Max-Age` and `Expires`). Default: none, a
   * browser-session cookie that the browser drops when it closes. The server-side lifetime is
   * {@link SessionOptions.ttl}.
   */
  maxAge?: number;
  /** `Partitioned` (CHIPS), for a session used inside third-party iframes. Needs `Secure`. Default `false`. */
  partitioned?: boolean;
}

/** Options of a {@link SessionStorageFactory}. */
export interface SessionOptions {
  /**
   * Where session data lives. `MemorySessionStore` is for development only (one process; rr runs
   * several workers); in production use a shared store, e.g. `new ExpressStoreAdapter(new
   * RedisStore({ client }))`.
   */
  store: SessionStore;
  /** How the cookie is written; see {@link SessionCookieOptions}. */
  cookie?: SessionCookieOptions;
  /**
   * Server-side lifetime in seconds: how long a session lives in the store after the last request
   * that used it (an idle timeout). Default `cookie.maxAge`, else 86400 (one day).
   */
  ttl?: number;
  /**
   * Re-send the cookie on every response to a request that used the session, so a `maxAge`
   * cookie's expiry slides with activity. Default `false`: the cookie is sent only when the session
   * starts, changes id or ends. (The store's expiry slides either way, see {@link ttl}.)
   */
  rolling?: boolean;
  /**
   * Signs the id in the cookie with HMAC-SHA256 (see `CookieSigner`): a value or a list for
   * rotation (the first signs, all verify). Each at least 32 bytes. Default: unsigned ids, which are
   * still 192 random bits and validated before use.
   */
  secret?: string | readonly string[];
  /**
   * When a request used the session, make sure no shared cache keeps its response: unless the
   * response already says `private` or `no-store`, `Cache-Control` becomes `private, no-cache`.
   * A page showing one user's data cached by a CDN and served to others is a session leak too.
   * Default `true`.
   */
  privateCache?: boolean;
}

/** Per-request overrides for `SessionStorageFactory.create(request, options)`. */
export type SessionCreateOptions = Omit<SessionOptions, 'store' | 'secret'>;

/** Options checked once, with every default filled in. */
export interface ResolvedSessionOptions {
  readonly store: SessionStore;
  readonly signer: CookieSigner | undefined;
  readonly name: string;
  readonly path: string;
  readonly domain: string | undefined;
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
  readonly secure: boolean | 'auto';
  readonly maxAge: number | undefined;
  readonly partitioned: boolean;
  readonly ttl: number;
  readonly rolling: boolean;
  readonly privateCache: boolean;
}

const DEFAULT_TTL = 86_400;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Characters allowed in Path: printable ASCII without `;` (which would start a new attribute). */
const ATTRIBUTE_VALUE = /^[\x21-\x3a\x3c-\x7e]+$/;
const SAME_SITE: Readonly<Record<string, SameSite>> = { strict: 'Strict', lax: 'Lax', none: 'None' };

/** Checks options and fills in defaults. @throws SessionConfigError naming the option at fault */
export function resolveSessionOptions(options: SessionOptions): ResolvedSessionOptions {
  if (typeof options !== 'object' || options === null) throw new SessionConfigError('options', 'expected an object');
  const store = options.store as Partial<SessionStore> | undefined;
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.destroy !== 'function') {
    throw new SessionConfigError('store', 'expected a SessionStore (get, set, destroy); wrap an express-session store in ExpressStoreAdapter');
  }
  return withOverrides(
    { store: options.store, signer: options.secret === undefined ? undefined : new CookieSigner(options.secret) },
    options,
  );
}

/** Applies per-request overrides on top of resolved options. */
export function overrideSessionOptions(base: ResolvedSessionOptions, overrides: SessionCreateOptions): ResolvedSessionOptions {
  const cookie = { ...cookieOf(base), ...overrides.cookie };
  return withOverrides(base, {
    cookie,
    ttl: overrides.ttl ?? base.ttl,
    rolling: overrides.rolling ?? base.rolling,
    privateCache: overrides.privateCache ?? base.privateCache,
  });
}

function withOverrides(fixed: Pick<ResolvedSessionOptions, 'store' | 'signer'>, options: SessionCreateOptions): ResolvedSessionOptions {
  const cookie = options.cookie ?? {};
  if (typeof cookie !== 'object' || cookie === null) throw new SessionConfigError('cookie', 'expected an object');
  const name = cookie.name ?? 'sid';
  if (typeof name !== 'string' || !TOKEN.test(name)) throw new SessionConfigError('cookie.name', `${JSON.stringify(name)} is not a valid cookie name (an HTTP token)`);
  const path = cookie.path ?? '/';
  if (typeof path !== 'string' || !ATTRIBUTE_VALUE.test(path) || !path.startsWith('/') || !cookieAccepts({ path })) {
    throw new SessionConfigError('cookie.path', `${JSON.stringify(path)} must start with "/" and hold printable ASCII without ";"`);
  }
  const domain = cookie.domain;
  if (domain !== undefined && (typeof domain !== 'string' || !cookieAccepts({ domain }))) {
    throw new SessionConfigError('cookie.domain', `${JSON.stringify(domain)} must be a host name (letters, digits, "-" and ".")`);
  }
  const sameSite = SAME_SITE[String(cookie.sameSite ?? 'Lax').toLowerCase()];
  if (sameSite === undefined) throw new SessionConfigError('cookie.sameSite', `expected 'Strict', 'Lax' or 'None', got ${JSON.stringify(cookie.sameSite)}`);
  const secure = cookie.secure ?? 'auto';
  if (secure !== true && secure !== false && secure !== 'auto') throw new SessionConfigError('cookie.secure', `expected true, false or 'auto', got ${JSON.stringify(secure)}`);
  // Browsers drop a SameSite=None or Partitioned cookie that is not Secure: the session would be lost silently.
  if (sameSite === 'None' && secure === false) throw new SessionConfigError('cookie.secure', "SameSite=None cookies must be Secure: use true or 'auto'");
  const partitioned = flag(cookie.partitioned, false, 'cookie.partitioned');
  if (partitioned && secure === false) throw new SessionConfigError('cookie.secure', "Partitioned cookies must be Secure: use true or 'auto'");
  const maxAge = cookie.maxAge;
  if (maxAge !== undefined) seconds(maxAge, 'cookie.maxAge');
  const ttl = options.ttl ?? maxAge ?? DEFAULT_TTL;
  seconds(ttl, 'ttl');
  return {
    ...fixed,
    name,
    path,
    domain,
    httpOnly: flag(cookie.httpOnly, true, 'cookie.httpOnly'),
    sameSite,
    secure,
    maxAge,
    partitioned,
    ttl,
    rolling: flag(options.rolling, false, 'rolling'),
    privateCache: flag(options.privateCache, true, 'privateCache'),
  };
}

function cookieOf(options: ResolvedSessionOptions): SessionCookieOptions {
  const { name, path, domain, httpOnly, sameSite, secure, maxAge, partitioned } = options;
  return { name, path, domain, httpOnly, sameSite, secure, maxAge, partitioned };
}

/** The cookie package's own rules for `Path` and `Domain`, asked here so that what it refuses fails when the options are read, never on a response. */
function cookieAccepts(attributes: SerializeOptions): boolean {
  try {
    serialize('probe', '', attributes);
    return true;
  } catch {
    return false;
  }
}

function flag(value: unknown, fallback: boolean, option: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new SessionConfigError(option, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}

function seconds(value: unknown, option: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new SessionConfigError(option, `expected a whole number of seconds above 0, got ${JSON.stringify(value)}`);
  }
}

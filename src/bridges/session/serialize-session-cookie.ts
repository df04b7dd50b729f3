import { serialize } from 'cookie';
import type { ResolvedSessionOptions } from './session-options.js';

/** Options of {@link serializeSessionCookie}. */
export interface SessionCookieWrite {
  /** The cookie value (the id, signed or not); ignored when {@link expire} is set. */
  value: string;
  /** Whether `Secure` is written (the request's `'auto'` already decided). */
  secure: boolean;
  /** Write an already expired, empty cookie so the browser deletes it. */
  expire?: boolean;
  /** The clock, in milliseconds, for `Expires`. */
  now: number;
}

/** Ids and signatures are base64 or base64url: cookie-octets as they are, which the `Cookie` reader expects back. */
const AS_IS = (value: string) => value;
/** What the cookie package accepts as a value (its `cookieValueRegExp`), checked on every write. */
const COOKIE_VALUE = /^[\u0021-\u003A\u003C-\u007E]*$/;
const VALUE_MARK = 'rrValueMark';
const EPOCH = new Date(0);
const EPOCH_DATE = EPOCH.toUTCString();
const EXPIRES = '; Expires=';

/** One options object's `Set-Cookie` line, cut where the value and the expiry date go. */
interface CookieTemplate {
  /** `name=` */
  readonly head: string;
  /** From after the value up to `; Expires=` included, or to the end when there is no expiry. */
  readonly middle: string;
  /** After the date; `undefined` when the cookie has no expiry (no `maxAge`). */
  readonly tail: string | undefined;
}

/** One options object's lines, each written by the package on first use; index 0 plain http, 1 `Secure`. */
interface CookieLines {
  readonly templates: [CookieTemplate?, CookieTemplate?];
  readonly deletions: [string?, string?];
}

/**
 * Lines per resolved options (app-wide, never per request). Why templates: the cookie package
 * checks name, path and domain with regular expressions and copies its options on every call,
 * 5.5 us per response against 1.4 for the same line assembled (compiled, same run:
 * docs/performance.md, "HTTP plumbing libraries").
 * So the package writes each variant once, and every response fills in the value and the date.
 */
const linesByOptions = new WeakMap<ResolvedSessionOptions, CookieLines>();

/**
 * The `Set-Cookie` header value for the session cookie, as the `cookie` package writes it (it
 * wrote the line's template from these options, checking name, path and domain).
 *
 * `Max-Age` and `Expires` are both written: `Max-Age` wins where understood, `Expires` covers old
 * clients. An expired cookie must carry the same `Path` and `Domain` as the one it deletes.
 *
 * @throws TypeError when the value is not made of cookie-octets (as the cookie package would)
 */
export function serializeSessionCookie(options: ResolvedSessionOptions, write: SessionCookieWrite): string {
  let lines = linesByOptions.get(options);
  if (lines === undefined) linesByOptions.set(options, (lines = { templates: [], deletions: [] }));
  const slot = write.secure ? 1 : 0;
  if (write.expire) return (lines.deletions[slot] ??= writeWithPackage(options, write.secure, true, ''));

  const template = (lines.templates[slot] ??= templateOf(options, write.secure));
  if (!COOKIE_VALUE.test(write.value)) throw new TypeError(`argument val is invalid: ${write.value}`);
  if (template.tail === undefined) return template.head + write.value + template.middle;
  return template.head + write.value + template.middle + new Date(write.now + options.maxAge! * 1000).toUTCString() + template.tail;
}

function templateOf(options: ResolvedSessionOptions, secure: boolean): CookieTemplate {
  const line = writeWithPackage(options, secure, false, VALUE_MARK);
  const head = `${options.name}=`;
  const rest = line.slice(head.length + VALUE_MARK.length);
  if (options.maxAge === undefined) return { head, middle: rest, tail: undefined };
  // Path and Domain cannot hold ';' (the package refuses it), so this is the Expires attribute.
  const date = rest.indexOf(EXPIRES + EPOCH_DATE) + EXPIRES.length;
  return { head, middle: rest.slice(0, date), tail: rest.slice(date + EPOCH_DATE.length) };
}

function writeWithPackage(options: ResolvedSessionOptions, secure: boolean, expire: boolean, value: string): string {
  const maxAge = expire ? 0 : options.maxAge;
  return serialize(options.name, value, {
    encode: AS_IS,
    path: options.path,
    ...(options.domain === undefined ? {} : { domain: options.domain }),
    ...(maxAge === undefined ? {} : { maxAge, expires: EPOCH }),
    httpOnly: options.httpOnly,
    secure,
    sameSite: options.sameSite === 'Strict' ? 'strict' : options.sameSite === 'Lax' ? 'lax' : 'none',
    // Browsers reject a Partitioned cookie without Secure; on plain http (development) it goes out unpartitioned.
    partitioned: options.partitioned && secure,
  });
}

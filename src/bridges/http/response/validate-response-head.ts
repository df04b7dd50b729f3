import { InvalidResponseHeaderError, InvalidResponseStatusError } from '../errors.js';
import type { ValuesMap } from '../proto/http-v1.js';

/** RFC 9110 `token`: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Characters a field value must not hold: controls other than HTAB (CR, LF and NUL are how a
 * value smuggles in extra headers; the others have no business there either), DEL, and anything
 * above U+00FF, which the Latin-1 wire encoding would silently mangle into another byte.
 */
const FORBIDDEN_IN_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f\u0100-\uffff]/;

/** Which statuses a frame may carry. */
export type StatusKind = 'final' | 'informational';

/**
 * Checks a status and headers before they are encoded into an rr response frame. Fetch's own
 * `Headers` already refuses most of this, but a `Response` from another implementation, or hints
 * built from plain objects, are not guaranteed to have gone through it.
 *
 * - `final`: 200-599. rr accepts 100-599, but a 1xx as the last frame ends the response with an
 *   implicit 200 from Go; hints go through {@link earlyHints}.
 * - `informational`: 100, 102 or 103 (101 would need a protocol switch rr does not do).
 *
 * @throws InvalidResponseStatusError, InvalidResponseHeaderError (naming the header)
 */
export function validateResponseHead(status: number, headers: ValuesMap, kind: StatusKind = 'final'): void {
  if (kind === 'final' ? !(Number.isInteger(status) && status >= 200 && status <= 599) : status !== 100 && status !== 102 && status !== 103) {
    throw new InvalidResponseStatusError(status, kind === 'final' ? 'an integer from 200 to 599 (1xx statuses go through earlyHints)' : '100, 102 or 103');
  }
  for (const [name, values] of Object.entries(headers)) {
    validateHeader(name, values);
  }
}

/** Checks one header name and its values. @throws InvalidResponseHeaderError */
export function validateHeader(name: string, values: readonly string[]): void {
  if (!TOKEN.test(name)) {
    throw new InvalidResponseHeaderError(name, 'a header name must be an HTTP token (letters, digits and !#$%&\'*+-.^_`|~)');
  }
  for (const value of values) {
    const match = FORBIDDEN_IN_VALUE.exec(value);
    if (match) {
      const code = match[0].charCodeAt(0);
      throw new InvalidResponseHeaderError(name, `its value holds U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${match.index} (${code > 0xff ? 'not Latin-1' : 'a control character'})`);
    }
  }
}

import type { UnitOfWork } from '../../../runtime/worker/unit-of-work.js';
import { encodeHttpResponse, type ValuesMap } from '../proto/http-v1.js';
import { HTTP_CODEC } from './send-response.js';
import { validateResponseHead } from './validate-response-head.js';

/**
 * Hint headers: a record (a value or a list of values per name, e.g. `{ link: [...] }`), a
 * `Headers`, or a list of `[name, value]` pairs.
 */
export type EarlyHintsInit = Readonly<Record<string, string | readonly string[]>> | Headers | Iterable<readonly [string, string]>;

/** Options of {@link earlyHints}. */
export interface EarlyHintsOptions {
  /** The informational status: 103 Early Hints (default), or 100 / 102. */
  status?: 100 | 102 | 103;
}

const EMPTY = new Uint8Array(0);

/**
 * Sends a 103 Early Hints response before the final one, so the browser can start fetching what
 * the page will need (`Link: </app.css>; rel=preload; as=style`) while the handler is still at
 * work. Call it, as often as useful, before returning the final `Response`:
 *
 * ```ts
 * async (request, { unit }) => {
 *   await earlyHints(unit, { link: ['</app.css>; rel=preload; as=style', '</app.js>; rel=modulepreload'] });
 *   return new Response(await renderPage());
 * }
 * ```
 *
 * (Under the HTTP kernel, take the unit from the request scope: `UNIT_OF_WORK`.)
 *
 * On the wire (rr-protocol §3.6) a hint is a frame with `status: 103`, the headers, an empty body
 * and the STREAM bit: without that bit rr would end the response there with an implicit 200. The
 * final response then follows as the rest of the same stream.
 *
 * **rr v2025.1.15 quirk:** its http plugin adds the hint headers to Go's response header map and
 * never removes them, so they are sent with the 103 *and again with the final response*, on top
 * of the final response's own headers. Do not repeat a hinted `Link` on the final response, or the
 * client gets it twice. (rr's next major version sends 1xx headers with the 1xx only.) Worse, its
 * access-log middleware keeps only the first status written, so after a hint the client gets
 * **200 whatever the final status is** (a 404 after a 103 arrives as 200 with the 404's body and
 * headers), and a second 1xx is dropped. Send hints only for a response that will succeed.
 *
 * Headers are validated like a final response's (no CR/LF/NUL, token names).
 *
 * @throws InvalidResponseHeaderError; ProtocolError when the unit was already answered;
 *   StreamStoppedError when the client is already gone
 */
export async function earlyHints(unit: UnitOfWork, hints: EarlyHintsInit, options: EarlyHintsOptions = {}): Promise<void> {
  const status = options.status ?? 103;
  const headers = toValuesMap(hints);
  validateResponseHead(status, headers, 'informational');
  unit.codec = HTTP_CODEC;
  await unit.stream(EMPTY, encodeHttpResponse({ status, headers }));
}

function toValuesMap(hints: EarlyHintsInit): ValuesMap {
  const map: ValuesMap = {};
  const add = (name: string, value: string) => (map[name.toLowerCase()] ??= []).push(String(value));
  if (hints instanceof Headers) {
    hints.forEach((value, name) => add(name, value));
  } else if (Symbol.iterator in hints) {
    for (const [name, value] of hints as Iterable<readonly [string, string]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(hints as Readonly<Record<string, string | readonly string[]>>)) {
      for (const one of typeof value === 'string' ? [value] : value) add(name, one);
    }
  }
  return map;
}

/**
 * Node's `Response` (undici) keeps the value a body was made from next to its stream: a string, or
 * bytes for a `Uint8Array`, `ArrayBuffer` or `Response.json()`. Reading that value instead of the
 * stream saves two stream reads per response (a third of a hello response's cost in the worker).
 * The slot is internal, so it is found once by probing and every use is checked; anything
 * unexpected (another runtime, a future undici, a stream body) answers `undefined` and the caller
 * reads the stream as before.
 */
const STATE = Object.getOwnPropertySymbols(new Response('')).find((symbol) => symbol.description === 'state');

/**
 * Whether the probe found the slot on this Node. Its test fails on `false`: a Node whose undici
 * moved the slot would otherwise only make every response slower, silently.
 */
export const completeBodyProbeFound: boolean = STATE !== undefined;

interface UndiciBody {
  stream?: ReadableStream;
  source?: unknown;
  length?: number | null;
}

/**
 * The whole body of `response` when it was built from a string or bytes and nothing has read or
 * locked its stream; `undefined` otherwise. The response's stream is left untouched.
 */
export function completeBodyOf(response: Response): Uint8Array | undefined {
  if (STATE === undefined) return undefined;
  const body = (response as unknown as Record<symbol, { body?: UndiciBody | null } | undefined>)[STATE]?.body;
  if (!body || body.stream === undefined || body.stream !== response.body || response.bodyUsed || body.stream.locked) return undefined;
  const { source } = body;
  if (typeof source === 'string') return Buffer.from(source, 'utf8');
  if (source instanceof Uint8Array && source.length === body.length) return source;
  return undefined;
}

/**
 * One body chunk as bytes. Fetch bodies carry `Uint8Array`s, but a hand-made `ReadableStream` can
 * enqueue anything: strings are sent as UTF-8, other views and buffers without copying, the rest
 * is refused (a `TypeError` that fails the response).
 */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  const got = chunk === null ? 'null' : typeof chunk === 'object' ? (chunk.constructor?.name ?? 'object') : typeof chunk;
  throw new TypeError(`a response body chunk must be a Uint8Array, another ArrayBuffer view, an ArrayBuffer or a string; got ${got}`);
}

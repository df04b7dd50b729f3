import { CentrifugoDecodeError, CentrifugoReplyError } from './errors.js';

/**
 * The bytes of a request payload: `data` as sent, or `b64data` decoded when the proxy runs with
 * `binary_encoding` (Centrifugo then sends base64 and says `encoding: "binary"`).
 */
export function payloadBytes(bytes: Uint8Array, b64: string, field: string, requestType: string): Uint8Array {
  if (b64 === '') return bytes;
  // Buffer.from(..., 'base64') skips characters outside the alphabet; a strict check keeps a
  // corrupted value from becoming silently different bytes.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new CentrifugoDecodeError(`b64${field} is not base64`, requestType);
  }
  return Buffer.from(b64, 'base64');
}

/**
 * A request payload as listeners see it: JSON decoded (clients of the JSON protocol, and the
 * proxy's default encoding), the bytes themselves under `binary_encoding`, `undefined` when empty.
 */
export function decodePayload(bytes: Uint8Array, encoding: string, field: string, requestType: string): unknown {
  if (bytes.length === 0) return undefined;
  if (encoding === 'binary') return bytes;
  return parseJson(bytes, field, requestType);
}

/** Parses JSON bytes; a failure is a {@link CentrifugoDecodeError} naming the field. */
export function parseJson(bytes: Uint8Array, field: string, requestType: string): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (error) {
    throw new CentrifugoDecodeError(`${field} is not JSON (${bytes.length} bytes)`, requestType, { cause: error });
  }
}

/**
 * Bytes for a reply field (`data`, `info`, `meta`): a `Uint8Array` is sent as it is (binary
 * payloads), `undefined` leaves the field out, anything else is sent as its JSON.
 */
export function encodePayload(value: unknown, field: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new CentrifugoReplyError(`${field} cannot be encoded as JSON: ${(error as Error).message}`, { cause: error });
  }
  if (json === undefined) throw new CentrifugoReplyError(`${field} cannot be encoded as JSON (got ${typeof value})`);
  return Buffer.from(json, 'utf8');
}

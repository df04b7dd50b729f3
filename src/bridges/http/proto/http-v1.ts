/**
 * rr's `http.v1` protobuf messages (package `http.v1` of roadrunner-server/api), written by hand
 * on the wire primitives of @bufbuild/protobuf: they are four tiny messages, and a hand-written
 * codec keeps the hot path free of reflection. Field numbers:
 *
 *   Request  { 1 remote_addr, 2 protocol, 3 method, 4 uri, 5 header map, 6 cookies map,
 *              7 raw_query, 8 parsed, 9 uploads bytes, 10 attributes map }
 *   Response { 1 status int64, 2 headers map }
 *   map<string, HeaderValue> entries { 1 key, 2 value }, HeaderValue { repeated bytes value = 1 }
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ProtocolError } from '../../../runtime/errors.js';
import { isRrLookedUp, spellHeadersForRr } from './spell-headers-for-rr.js';

/** Multi-valued string map as rr sends it (`map<string, HeaderValue>`). */
export type ValuesMap = Record<string, string[]>;

/** A decoded `http.v1.Request`: the request context rr sends before the body. */
export interface HttpRequestMessage {
  /** Client IP as rr's http plugin saw it (port stripped). */
  remoteAddr: string;
  /** `HTTP/1.1`, `HTTP/2.0`... */
  protocol: string;
  method: string;
  /** Absolute URI: scheme, host, path and query. */
  uri: string;
  /** Request headers, Go-canonicalised names; `Host` is not among them (it is in `uri`). */
  header: ValuesMap;
  /** Cookies, one value each, already URL-unescaped by rr. */
  cookies: ValuesMap;
  rawQuery: string;
  /** True when rr parsed a form/multipart body into a JSON tree (the frame body). */
  parsed: boolean;
  /** JSON tree of uploaded files, when there are any. */
  uploads: Uint8Array | undefined;
  /** Values set by rr's middleware (PSR-7 style attributes). */
  attributes: ValuesMap;
}

/** A `http.v1.Response`: status and headers; the body travels as the frame body. */
export interface HttpResponseMessage {
  status: number;
  headers: ValuesMap;
}

/**
 * Reads rr's `http.v1` messages in place. Hand-written over the wire format (varints and
 * length-delimited fields; skipping the other wire types as protobuf does) because it runs once
 * per request: @bufbuild's reader allocates a `[field, wire]` pair per tag and decodes every string
 * through `TextDecoder` (a request with four headers and a cookie: median 3.8 us there, 3.0 here,
 * same run). It also checks each field against its map entry's end, not only the buffer's.
 * Header bytes become Latin-1 strings (one char per byte: the Fetch API's ByteStrings, as
 * node:http reads them); everything else is UTF-8 (invalid sequences become U+FFFD; a leading BOM
 * is kept, as Go keeps it). Test: the differential fuzz in test/bridges/http/proto/http-v1.test.ts.
 */
class WireCursor {
  pos = 0;
  readonly #bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get end(): number {
    return this.#bytes.length;
  }

  /** An unsigned varint of up to 64 bits, as a number (exact to 2^53: lengths and tags are far below). */
  varint(): number {
    const bytes = this.#bytes;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= bytes.length) throw new Error('premature end of a varint');
      const byte = bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new Error('a varint longer than 10 bytes');
  }

  /** The end of the length-delimited field starting here, after its length. */
  fieldEnd(limit: number): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > limit) throw new Error(`a field of ${length} bytes runs past its end`);
    return end;
  }

  utf8(limit: number): string {
    const end = this.fieldEnd(limit);
    const text = this.#bytes.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  latin1(limit: number): string {
    const end = this.fieldEnd(limit);
    const text = this.#bytes.toString('latin1', this.pos, end);
    this.pos = end;
    return text;
  }

  bytes(limit: number): Uint8Array {
    const end = this.fieldEnd(limit);
    const view = this.#bytes.subarray(this.pos, end);
    this.pos = end;
    return view;
  }

  /** Skips a field of wire type `wire` (groups included, as protobuf readers do). */
  skip(wire: number, field: number, limit: number): void {
    switch (wire) {
      case 0: this.varint(); return;
      case 1: this.advance(8, limit); return;
      case 2: this.pos = this.fieldEnd(limit); return;
      case 5: this.advance(4, limit); return;
      case 3:
        for (;;) {
          if (this.pos >= limit) throw new Error(`group ${field} is not closed`);
          const tag = this.varint();
          const innerWire = tag & 7;
          const innerField = tag >>> 3;
          if (innerWire === 4) {
            if (innerField !== field) throw new Error(`group ${field} is closed by the end of group ${innerField}`);
            return;
          }
          this.skip(innerWire, innerField, limit);
        }
      default:
        throw new Error(`cannot skip wire type ${wire} (field ${field})`);
    }
  }

  private advance(count: number, limit: number): void {
    if (this.pos + count > limit) throw new Error('premature end of a fixed-size field');
    this.pos += count;
  }
}

/** One `map<string, HeaderValue>` entry at the cursor, its values appended to `target[key]`. */
function decodeValuesMap(cursor: WireCursor, target: ValuesMap, latin1Values: boolean, limit: number): void {
  const end = cursor.fieldEnd(limit);
  let key = '';
  const values: string[] = [];
  while (cursor.pos < end) {
    const tag = cursor.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) key = cursor.utf8(end);
    else if (field === 2 && wire === 2) {
      const valueEnd = cursor.fieldEnd(end);
      while (cursor.pos < valueEnd) {
        const valueTag = cursor.varint();
        if (valueTag === 0x0a) values.push(latin1Values ? cursor.latin1(valueEnd) : cursor.utf8(valueEnd));
        else cursor.skip(valueTag & 7, valueTag >>> 3, valueEnd);
      }
      if (cursor.pos !== valueEnd) throw new Error('a header value runs past its entry');
    } else cursor.skip(wire, field, end);
  }
  if (cursor.pos !== end) throw new Error('a map entry runs past its end');
  const existing = target[key];
  if (existing) existing.push(...values);
  else target[key] = values;
}

/** Decodes the context of an rr HTTP request frame. Throws {@link ProtocolError} on malformed bytes. */
export function decodeHttpRequest(bytes: Uint8Array): HttpRequestMessage {
  // Prototype-less maps: a header, cookie or attribute named `__proto__` must stay an ordinary key.
  const message: HttpRequestMessage = {
    remoteAddr: '',
    protocol: '',
    method: '',
    uri: '',
    header: Object.create(null) as ValuesMap,
    cookies: Object.create(null) as ValuesMap,
    rawQuery: '',
    parsed: false,
    uploads: undefined,
    attributes: Object.create(null) as ValuesMap,
  };
  try {
    const cursor = new WireCursor(bytes);
    const end = cursor.end;
    while (cursor.pos < end) {
      const tag = cursor.varint();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 0) throw new Error(`illegal tag: field no 0 wire type ${wire}`);
      if (wire === 2) {
        switch (field) {
          case 1: message.remoteAddr = cursor.utf8(end); continue;
          case 2: message.protocol = cursor.utf8(end); continue;
          case 3: message.method = cursor.utf8(end); continue;
          case 4: message.uri = cursor.utf8(end); continue;
          case 5: decodeValuesMap(cursor, message.header, true, end); continue;
          case 6: decodeValuesMap(cursor, message.cookies, false, end); continue;
          case 7: message.rawQuery = cursor.utf8(end); continue;
          case 9: message.uploads = cursor.bytes(end); continue;
          case 10: decodeValuesMap(cursor, message.attributes, false, end); continue;
        }
      } else if (wire === 0 && field === 8) {
        message.parsed = cursor.varint() !== 0;
        continue;
      }
      cursor.skip(wire, field, end);
    }
  } catch (error) {
    throw new ProtocolError(`malformed http.v1.Request context (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
  return message;
}

function encodeValuesMap(writer: BinaryWriter, field: number, map: ValuesMap, bytesOf: (value: string) => Uint8Array): void {
  for (const [key, values] of Object.entries(map)) {
    writer.tag(field, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key);
    writer.tag(2, WireType.LengthDelimited).fork();
    for (const value of values) writer.tag(1, WireType.LengthDelimited).bytes(bytesOf(value));
    writer.join();
    writer.join();
  }
}

const latin1Bytes = (value: string): Uint8Array => Buffer.from(value, 'latin1');
const utf8Bytes = (value: string): Uint8Array => Buffer.from(value, 'utf8');

/**
 * Encodes the context of an HTTP response frame. Written straight into one buffer sized up front
 * (no growing writer, no per-field forks): it runs once per response. Header names and values are
 * Latin-1 byte strings (validated before, see `validateResponseHead`). `Trailer` and `Http2-Push`
 * are written as rr looks them up (see `spellHeadersForRr`).
 */
export function encodeHttpResponse(message: HttpResponseMessage): Uint8Array {
  const status = message.status;
  let headers = message.headers;
  let names = Object.keys(headers);
  if (names.some(isRrLookedUp)) {
    headers = spellHeadersForRr(headers);
    names = Object.keys(headers);
  }
  let size = status === 0 ? 0 : 1 + varintSize(status);
  for (const name of names) {
    const entry = headerEntrySize(name, headers[name]!);
    size += 1 + varintSize(entry) + entry;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  if (status !== 0) {
    out[at++] = 0x08; // field 1, varint
    at = writeVarint(out, at, status);
  }
  for (const name of names) {
    const values = headers[name]!;
    out[at++] = 0x12; // field 2, length-delimited: a map entry
    at = writeVarint(out, at, headerEntrySize(name, values));
    out[at++] = 0x0a; // entry key
    at = writeVarint(out, at, name.length);
    at += out.write(name, at, 'latin1');
    out[at++] = 0x12; // entry value: HeaderValue
    at = writeVarint(out, at, headerValueSize(values));
    for (const value of values) {
      out[at++] = 0x0a; // HeaderValue.value, repeated bytes
      at = writeVarint(out, at, value.length);
      at += out.write(value, at, 'latin1');
    }
  }
  return out;
}

function headerValueSize(values: readonly string[]): number {
  let size = 0;
  for (const value of values) size += 1 + varintSize(value.length) + value.length;
  return size;
}

function headerEntrySize(name: string, values: readonly string[]): number {
  const value = headerValueSize(values);
  return 1 + varintSize(name.length) + name.length + 1 + varintSize(value) + value;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  out[at++] = value;
  return at;
}

/** Encodes an `http.v1.Request` (what rr sends): for tests and tools that play rr's side. */
export function encodeHttpRequest(message: Partial<HttpRequestMessage>): Uint8Array {
  const writer = new BinaryWriter();
  if (message.remoteAddr) writer.tag(1, WireType.LengthDelimited).string(message.remoteAddr);
  if (message.protocol) writer.tag(2, WireType.LengthDelimited).string(message.protocol);
  if (message.method) writer.tag(3, WireType.LengthDelimited).string(message.method);
  if (message.uri) writer.tag(4, WireType.LengthDelimited).string(message.uri);
  if (message.header) encodeValuesMap(writer, 5, message.header, latin1Bytes);
  if (message.cookies) encodeValuesMap(writer, 6, message.cookies, utf8Bytes);
  if (message.rawQuery) writer.tag(7, WireType.LengthDelimited).string(message.rawQuery);
  if (message.parsed) writer.tag(8, WireType.Varint).bool(true);
  if (message.uploads) writer.tag(9, WireType.LengthDelimited).bytes(message.uploads);
  if (message.attributes) encodeValuesMap(writer, 10, message.attributes, utf8Bytes);
  return writer.finish();
}

/** Decodes an `http.v1.Response` (what rr reads): for tests and tools that play rr's side. */
export function decodeHttpResponse(bytes: Uint8Array): HttpResponseMessage {
  const message: HttpResponseMessage = { status: 0, headers: Object.create(null) as ValuesMap };
  try {
    const cursor = new WireCursor(bytes);
    const end = cursor.end;
    while (cursor.pos < end) {
      const tag = cursor.varint();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 && wire === 0) {
        const status = cursor.varint();
        message.status = status >= 2 ** 63 ? status - 2 ** 64 : status; // int64, two's complement
      } else if (field === 2 && wire === 2) decodeValuesMap(cursor, message.headers, true, end);
      else cursor.skip(wire, field, end);
    }
  } catch (error) {
    throw new ProtocolError(`malformed http.v1.Response context (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
  return message;
}

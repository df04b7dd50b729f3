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
import { TextDecoder } from 'node:util';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
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

// Header bytes are ByteStrings in the Fetch API (one char per byte), exactly as node:http reads them.
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

function decodeValuesMap(reader: BinaryReader, target: ValuesMap, text: TextDecoder): void {
  const end = reader.uint32() + reader.pos;
  let key = '';
  const values: string[] = [];
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited) key = reader.string();
    else if (field === 2 && wire === WireType.LengthDelimited) {
      const valueEnd = reader.uint32() + reader.pos;
      while (reader.pos < valueEnd) {
        const [valueField, valueWire] = reader.tag();
        if (valueField === 1 && valueWire === WireType.LengthDelimited) values.push(text.decode(reader.bytes()));
        else reader.skip(valueWire, valueField);
      }
    } else reader.skip(wire, field);
  }
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
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      switch (field) {
        case 1: message.remoteAddr = reader.string(); break;
        case 2: message.protocol = reader.string(); break;
        case 3: message.method = reader.string(); break;
        case 4: message.uri = reader.string(); break;
        case 5: decodeValuesMap(reader, message.header, latin1); break;
        case 6: decodeValuesMap(reader, message.cookies, utf8); break;
        case 7: message.rawQuery = reader.string(); break;
        case 8: message.parsed = reader.bool(); break;
        case 9: message.uploads = reader.bytes(); break;
        case 10: decodeValuesMap(reader, message.attributes, utf8); break;
        default: reader.skip(wire, field);
      }
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
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.Varint) message.status = Number(reader.int64());
      else if (field === 2 && wire === WireType.LengthDelimited) decodeValuesMap(reader, message.headers, latin1);
      else reader.skip(wire, field);
    }
  } catch (error) {
    throw new ProtocolError(`malformed http.v1.Response context (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
  return message;
}

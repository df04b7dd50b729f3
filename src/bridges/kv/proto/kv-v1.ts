/**
 * rr's `kv.v1` protobuf messages (package `kv.v1` of roadrunner-server/api, `proto/kv/v1/kv.proto`),
 * written by hand on the wire primitives of @bufbuild/protobuf like `http.v1`: three tiny messages,
 * no reflection, and values are passed through as byte views (a multi-megabyte value is not copied
 * more than the writer needs). Field numbers:
 *
 *   Request  { 1 storage string, 2 items repeated Item }
 *   Item     { 1 key string, 2 value bytes, 3 timeout string (RFC 3339, "" = none) }
 *   Response { 1 items repeated Item }
 *
 * Every kv.* RPC method takes a Request and returns a Response (`kv.Set`, `kv.MExpire`,
 * `kv.Delete` and `kv.Clear` return an empty one).
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ProtocolError } from '../../../runtime/errors.js';

/** One `kv.v1.Item`. Proto3 defaults: `''` and an empty value are not sent. */
export interface KvItemMessage {
  key: string;
  /** The stored bytes; empty for the calls that only name keys. */
  value: Uint8Array;
  /** Absolute expiry as an RFC 3339 timestamp, `''` for none. */
  timeout: string;
}

/** A `kv.v1.Request`. */
export interface KvRequestMessage {
  storage: string;
  items: KvItemMessage[];
}

/** A `kv.v1.Response`. */
export interface KvResponseMessage {
  items: KvItemMessage[];
}

const EMPTY = new Uint8Array(0);

/** An item with defaults for the fields not given. */
export function kvItem(fields: Partial<KvItemMessage> & { key: string }): KvItemMessage {
  return { key: fields.key, value: fields.value ?? EMPTY, timeout: fields.timeout ?? '' };
}

function writeItem(writer: BinaryWriter, field: number, item: KvItemMessage): void {
  writer.tag(field, WireType.LengthDelimited).fork();
  if (item.key !== '') writer.tag(1, WireType.LengthDelimited).string(item.key);
  if (item.value.length > 0) writer.tag(2, WireType.LengthDelimited).bytes(item.value);
  if (item.timeout !== '') writer.tag(3, WireType.LengthDelimited).string(item.timeout);
  writer.join();
}

function readItem(reader: BinaryReader): KvItemMessage {
  const end = reader.uint32() + reader.pos;
  const item = kvItem({ key: '' });
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited) item.key = reader.string();
    else if (field === 2 && wire === WireType.LengthDelimited) item.value = reader.bytes();
    else if (field === 3 && wire === WireType.LengthDelimited) item.timeout = reader.string();
    else reader.skip(wire, field);
  }
  return item;
}

/** Encodes a `kv.v1.Request` (what the worker sends). */
export function encodeKvRequest(message: KvRequestMessage): Uint8Array {
  const writer = new BinaryWriter();
  if (message.storage !== '') writer.tag(1, WireType.LengthDelimited).string(message.storage);
  for (const item of message.items) writeItem(writer, 2, item);
  return writer.finish();
}

/** Decodes a `kv.v1.Response` (what rr answers). Throws {@link ProtocolError} on malformed bytes. */
export function decodeKvResponse(bytes: Uint8Array): KvResponseMessage {
  const message: KvResponseMessage = { items: [] };
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) message.items.push(readItem(reader));
      else reader.skip(wire, field);
    }
  } catch (error) {
    throw new ProtocolError(`malformed kv.v1.Response (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
  return message;
}

/** Decodes a `kv.v1.Request` (what rr reads): for tests and tools that play rr's side. */
export function decodeKvRequest(bytes: Uint8Array): KvRequestMessage {
  const message: KvRequestMessage = { storage: '', items: [] };
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) message.storage = reader.string();
      else if (field === 2 && wire === WireType.LengthDelimited) message.items.push(readItem(reader));
      else reader.skip(wire, field);
    }
  } catch (error) {
    throw new ProtocolError(`malformed kv.v1.Request (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
  return message;
}

/** Encodes a `kv.v1.Response` (what rr sends): for tests and tools that play rr's side. */
export function encodeKvResponse(message: KvResponseMessage): Uint8Array {
  const writer = new BinaryWriter();
  for (const item of message.items) writeItem(writer, 1, item);
  return writer.finish();
}

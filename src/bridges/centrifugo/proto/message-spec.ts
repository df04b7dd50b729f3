/**
 * A small table-driven protobuf codec for the Centrifugo messages. The proxy and API protos have
 * some sixty messages; describing each as a field table (number, name, type) and walking the table
 * keeps the byte-level code in one place, where one hand-written codec per message (as `http.v1`
 * and `kv.v1` have) would repeat it sixty times. Still no reflection library and no generated code:
 * the tables are written from the `.proto` files of roadrunner-server/api v4.24.0 (what rr
 * v2025.1.15 speaks), and messages are plain objects keyed by the fields' camelCase names.
 *
 * Decoding is strict where protobuf readers must be (a field whose wire type does not match its
 * declaration, a truncated value, invalid UTF-8 in a string) and lenient where they must be
 * (unknown fields are skipped, a repeated or map field may arrive in several pieces).
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** A scalar field type. 64-bit integers are JavaScript numbers (unix seconds, stream offsets). */
export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double';

/** One field of a message. */
export interface FieldSpec {
  readonly no: number;
  /** Property name in the decoded object (camelCase). */
  readonly name: string;
  /** A scalar, or a nested message. */
  readonly type: ScalarType | MessageSpec;
  /** `repeated`: an array. */
  readonly repeated?: boolean;
  /** `map<string, type>`: a prototype-less record. */
  readonly map?: boolean;
}

/** A message: its full protobuf name (for error messages) and its fields. */
export interface MessageSpec {
  readonly name: string;
  readonly fields: readonly FieldSpec[];
}

/** Declares a message (nested messages are declared before the messages that use them). */
export function messageSpec(name: string, fields: readonly FieldSpec[]): MessageSpec {
  return { name, fields };
}

const EMPTY = new Uint8Array(0);

function defaultOf(field: FieldSpec): unknown {
  if (field.map) return Object.create(null);
  if (field.repeated) return [];
  switch (field.type) {
    case 'string':
      return '';
    case 'bytes':
      return EMPTY;
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'double':
      return 0;
    default:
      return undefined;
  }
}

function wireTypeOf(type: ScalarType | MessageSpec): WireType {
  if (typeof type !== 'string') return WireType.LengthDelimited;
  switch (type) {
    case 'string':
    case 'bytes':
      return WireType.LengthDelimited;
    case 'double':
      return WireType.Bit64;
    default:
      return WireType.Varint;
  }
}

/** Thrown by {@link decodeMessage}; callers wrap it in their own typed error. */
export class WireDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireDecodeError';
  }
}

function readScalar(reader: BinaryReader, type: ScalarType): unknown {
  switch (type) {
    case 'string':
      return reader.string(true);
    case 'bytes':
      return reader.bytes();
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return Number(reader.int64());
    case 'uint64':
      return Number(reader.uint64());
    case 'double':
      return reader.double();
  }
}

function readValue(reader: BinaryReader, type: ScalarType | MessageSpec, depth: number): unknown {
  if (typeof type === 'string') return readScalar(reader, type);
  const length = reader.uint32();
  return readFields(reader, type, reader.pos + length, depth + 1);
}

// Nesting is bounded by the specs themselves (no message contains itself), but a limit keeps a
// future recursive spec from turning hostile input into a stack overflow.
const MAX_DEPTH = 32;

function readFields(reader: BinaryReader, spec: MessageSpec, end: number, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new WireDecodeError(`${spec.name}: nested deeper than ${MAX_DEPTH} levels`);
  if (end > reader.len) throw new WireDecodeError(`${spec.name}: length ${end - reader.pos} runs past the end of the buffer`);
  const message: Record<string, unknown> = {};
  for (const field of spec.fields) message[field.name] = defaultOf(field);
  while (reader.pos < end) {
    const [no, wire] = reader.tag();
    const field = spec.fields.find((candidate) => candidate.no === no);
    if (field === undefined) {
      reader.skip(wire, no);
      continue;
    }
    if (field.map) {
      if (wire !== WireType.LengthDelimited) throw wrongWireType(spec, field, wire);
      readMapEntry(reader, spec, field, message[field.name] as Record<string, unknown>, depth);
      continue;
    }
    if (wire !== wireTypeOf(field.type)) throw wrongWireType(spec, field, wire);
    const value = readValue(reader, field.type, depth);
    if (field.repeated) (message[field.name] as unknown[]).push(value);
    else message[field.name] = value;
  }
  if (reader.pos !== end) throw new WireDecodeError(`${spec.name}: a field runs past the end of its message`);
  return message;
}

function readMapEntry(reader: BinaryReader, spec: MessageSpec, field: FieldSpec, target: Record<string, unknown>, depth: number): void {
  const end = reader.uint32() + reader.pos;
  if (end > reader.len) throw new WireDecodeError(`${spec.name}.${field.name}: map entry runs past the end of the buffer`);
  let key = '';
  let value: unknown = defaultOf({ ...field, map: false });
  while (reader.pos < end) {
    const [no, wire] = reader.tag();
    if (no === 1) {
      if (wire !== WireType.LengthDelimited) throw wrongWireType(spec, field, wire);
      key = reader.string(true);
    } else if (no === 2) {
      if (wire !== wireTypeOf(field.type)) throw wrongWireType(spec, field, wire);
      value = readValue(reader, field.type, depth);
    } else {
      reader.skip(wire, no);
    }
  }
  if (reader.pos !== end) throw new WireDecodeError(`${spec.name}.${field.name}: a map entry runs past its end`);
  // A message value left out of the entry is an empty message, as protobuf maps define it.
  if (value === undefined && typeof field.type !== 'string') value = readFields(new BinaryReader(EMPTY), field.type, 0, depth + 1);
  target[key] = value;
}

function wrongWireType(spec: MessageSpec, field: FieldSpec, wire: WireType): WireDecodeError {
  return new WireDecodeError(`${spec.name}.${field.name} (field ${field.no}) has wire type ${wire}, expected ${field.map ? WireType.LengthDelimited : wireTypeOf(field.type)}`);
}

/**
 * Decodes `bytes` as `spec`: every declared field is present in the result, with the proto3
 * default when absent (`''`, an empty `Uint8Array`, `false`, `0`, `[]`, `{}`, `undefined` for a
 * message). Throws {@link WireDecodeError} (or the reader's own `Error`) on malformed input.
 */
export function decodeMessage<T>(spec: MessageSpec, bytes: Uint8Array): T {
  const reader = new BinaryReader(bytes);
  return readFields(reader, spec, bytes.length, 0) as T;
}

function isDefault(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  return value instanceof Uint8Array && value.length === 0;
}

function writeScalar(writer: BinaryWriter, type: ScalarType, value: unknown): void {
  switch (type) {
    case 'string':
      writer.string(value as string);
      break;
    case 'bytes':
      writer.bytes(value as Uint8Array);
      break;
    case 'bool':
      writer.bool(value as boolean);
      break;
    case 'int32':
      writer.int32(value as number);
      break;
    case 'uint32':
      writer.uint32(value as number);
      break;
    case 'int64':
      writer.int64(value as number);
      break;
    case 'uint64':
      writer.uint64(value as number);
      break;
    case 'double':
      writer.double(value as number);
      break;
  }
}

function writeValue(writer: BinaryWriter, field: FieldSpec, value: unknown): void {
  writer.tag(field.no, wireTypeOf(field.type));
  if (typeof field.type === 'string') writeScalar(writer, field.type, value);
  else {
    writer.fork();
    writeFields(writer, field.type, value as Record<string, unknown>);
    writer.join();
  }
}

function writeFields(writer: BinaryWriter, spec: MessageSpec, message: Record<string, unknown>): void {
  for (const field of spec.fields) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (field.map) {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        writer.tag(field.no, WireType.LengthDelimited).fork();
        writer.tag(1, WireType.LengthDelimited).string(key);
        if (entry !== undefined && (typeof field.type !== 'string' || !isDefault(entry))) writeValue(writer, { ...field, no: 2 }, entry);
        writer.join();
      }
    } else if (field.repeated) {
      for (const item of value as readonly unknown[]) writeValue(writer, field, item);
    } else if (typeof field.type !== 'string' || !isDefault(value)) {
      // proto3: scalars at their default are not sent; a set message is sent even when empty.
      writeValue(writer, field, value);
    }
  }
}

/** Encodes `message` as `spec`; fields at their proto3 default and `undefined` ones are left out. */
export function encodeMessage(spec: MessageSpec, message: object): Uint8Array {
  const writer = new BinaryWriter();
  writeFields(writer, spec, message as Record<string, unknown>);
  return writer.finish();
}

/**
 * rr's `jobs.v1` protobuf messages (package `jobs.v1` of roadrunner-server/api v4.24.0,
 * `proto/jobs/v1/jobs.proto`), written by hand on the wire primitives of @bufbuild/protobuf like
 * `kv.v1` and `http.v1`. Field numbers:
 *
 *   PushRequest      { 1 job Job }
 *   PushBatchRequest { 1 jobs repeated Job }
 *   Job              { 1 job string, 2 id string, 3 payload bytes, 4 headers map<string, HeaderValue>, 5 options Options }
 *   Options          { 1 priority int64, 2 pipeline string, 3 delay int64, 6 auto_ack bool,
 *                      7 topic string, 8 metadata string, 9 offset int64, 10 partition int32 }
 *   HeaderValue      { 1 value repeated string }
 *   DeclareRequest   { 1 pipeline map<string, string> }
 *   Pipelines        { 1 pipelines repeated string }
 *   Stats            { 1 stats repeated Stat }
 *   Stat             { 1 pipeline, 2 driver, 3 queue string, 4 active, 5 delayed, 6 reserved int64,
 *                      7 ready bool, 8 priority uint64 }
 *   Empty            {}
 *
 * The worker encodes requests and decodes `Pipelines` and `Stats`; the other direction is here too,
 * for tests and tools that play rr's side.
 */
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ProtocolError } from '../../../runtime/errors.js';

/** Multi-valued headers, as rr keeps them (`map[string][]string`). */
export type JobHeaders = Record<string, string[]>;

/** A `jobs.v1.Options`. Proto3 defaults (`0`, `''`, `false`) are not sent. */
export interface JobOptionsMessage {
  priority: number;
  pipeline: string;
  /** Seconds before the job becomes available. */
  delay: number;
  autoAck: boolean;
  /** Kafka only. */
  topic: string;
  /** Kafka only. */
  metadata: string;
  /** Kafka only. */
  offset: number;
  /** Kafka only. */
  partition: number;
}

/** A `jobs.v1.Job`. */
export interface JobMessage {
  /** The job name consumers route on. */
  job: string;
  /** Unique id; rr refuses an empty one. */
  id: string;
  payload: Uint8Array;
  headers: JobHeaders;
  options: JobOptionsMessage;
}

/** A `jobs.v1.Stat`: one pipeline's state. */
export interface JobsStatMessage {
  pipeline: string;
  driver: string;
  queue: string;
  active: number;
  delayed: number;
  reserved: number;
  ready: boolean;
  priority: number;
}

const EMPTY = new Uint8Array(0);

/** Options with defaults for the fields not given. */
export function jobOptions(fields: { [Key in keyof JobOptionsMessage]?: JobOptionsMessage[Key] | undefined } = {}): JobOptionsMessage {
  return {
    priority: fields.priority ?? 0,
    pipeline: fields.pipeline ?? '',
    delay: fields.delay ?? 0,
    autoAck: fields.autoAck ?? false,
    topic: fields.topic ?? '',
    metadata: fields.metadata ?? '',
    offset: fields.offset ?? 0,
    partition: fields.partition ?? 0,
  };
}

/** A job with defaults for the fields not given. */
export function jobMessage(fields: Partial<JobMessage> & { id: string }): JobMessage {
  return {
    job: fields.job ?? '',
    id: fields.id,
    payload: fields.payload ?? EMPTY,
    headers: fields.headers ?? {},
    options: fields.options ?? jobOptions(),
  };
}

function writeOptions(writer: BinaryWriter, options: JobOptionsMessage): void {
  writer.tag(5, WireType.LengthDelimited).fork();
  if (options.priority !== 0) writer.tag(1, WireType.Varint).int64(options.priority);
  if (options.pipeline !== '') writer.tag(2, WireType.LengthDelimited).string(options.pipeline);
  if (options.delay !== 0) writer.tag(3, WireType.Varint).int64(options.delay);
  if (options.autoAck) writer.tag(6, WireType.Varint).bool(true);
  if (options.topic !== '') writer.tag(7, WireType.LengthDelimited).string(options.topic);
  if (options.metadata !== '') writer.tag(8, WireType.LengthDelimited).string(options.metadata);
  if (options.offset !== 0) writer.tag(9, WireType.Varint).int64(options.offset);
  if (options.partition !== 0) writer.tag(10, WireType.Varint).int32(options.partition);
  writer.join();
}

function writeJob(writer: BinaryWriter, field: number, job: JobMessage): void {
  writer.tag(field, WireType.LengthDelimited).fork();
  if (job.job !== '') writer.tag(1, WireType.LengthDelimited).string(job.job);
  if (job.id !== '') writer.tag(2, WireType.LengthDelimited).string(job.id);
  if (job.payload.length > 0) writer.tag(3, WireType.LengthDelimited).bytes(job.payload);
  for (const [name, values] of Object.entries(job.headers)) {
    writer.tag(4, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(name);
    writer.tag(2, WireType.LengthDelimited).fork();
    for (const value of values) writer.tag(1, WireType.LengthDelimited).string(value);
    writer.join();
    writer.join();
  }
  writeOptions(writer, job.options);
  writer.join();
}

/** Encodes a `jobs.v1.PushRequest` (`jobs.Push`). */
export function encodePushRequest(job: JobMessage): Uint8Array {
  const writer = new BinaryWriter();
  writeJob(writer, 1, job);
  return writer.finish();
}

/** Encodes a `jobs.v1.PushBatchRequest` (`jobs.PushBatch`). */
export function encodePushBatchRequest(jobs: readonly JobMessage[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const job of jobs) writeJob(writer, 1, job);
  return writer.finish();
}

/** Encodes a `jobs.v1.Pipelines` (`jobs.Pause`, `jobs.Resume`, `jobs.Destroy`; rr's answer to `jobs.List`). */
export function encodePipelines(pipelines: readonly string[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const name of pipelines) writer.tag(1, WireType.LengthDelimited).string(name);
  return writer.finish();
}

/** Encodes a `jobs.v1.DeclareRequest` (`jobs.Declare`): `driver`, `name`, `priority` and the driver's options. */
export function encodeDeclareRequest(pipeline: Readonly<Record<string, string>>): Uint8Array {
  const writer = new BinaryWriter();
  for (const [key, value] of Object.entries(pipeline)) {
    writer.tag(1, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key);
    writer.tag(2, WireType.LengthDelimited).string(value);
    writer.join();
  }
  return writer.finish();
}

/** Encodes a `jobs.v1.Stats` (what rr answers to `jobs.Stat`): for tests and tools that play rr's side. */
export function encodeStats(stats: readonly JobsStatMessage[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const stat of stats) {
    writer.tag(1, WireType.LengthDelimited).fork();
    if (stat.pipeline !== '') writer.tag(1, WireType.LengthDelimited).string(stat.pipeline);
    if (stat.driver !== '') writer.tag(2, WireType.LengthDelimited).string(stat.driver);
    if (stat.queue !== '') writer.tag(3, WireType.LengthDelimited).string(stat.queue);
    if (stat.active !== 0) writer.tag(4, WireType.Varint).int64(stat.active);
    if (stat.delayed !== 0) writer.tag(5, WireType.Varint).int64(stat.delayed);
    if (stat.reserved !== 0) writer.tag(6, WireType.Varint).int64(stat.reserved);
    if (stat.ready) writer.tag(7, WireType.Varint).bool(true);
    if (stat.priority !== 0) writer.tag(8, WireType.Varint).uint64(stat.priority);
    writer.join();
  }
  return writer.finish();
}

/** Runs `read` over `bytes`, turning any wire error into a {@link ProtocolError} naming the message. */
function decode<T>(name: string, bytes: Uint8Array, read: (reader: BinaryReader) => T): T {
  try {
    return read(new BinaryReader(bytes));
  } catch (error) {
    throw new ProtocolError(`malformed jobs.v1.${name} (${bytes.length} bytes): ${(error as Error).message}`, { cause: error });
  }
}

/** Decodes a `jobs.v1.Pipelines`. Throws {@link ProtocolError} on malformed bytes. */
export function decodePipelines(bytes: Uint8Array): string[] {
  return decode('Pipelines', bytes, (reader) => {
    const names: string[] = [];
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) names.push(reader.string());
      else reader.skip(wire, field);
    }
    return names;
  });
}

/** Decodes a `jobs.v1.Stats` (rr's answer to `jobs.Stat`). Throws {@link ProtocolError} on malformed bytes. */
export function decodeStats(bytes: Uint8Array): JobsStatMessage[] {
  return decode('Stats', bytes, (reader) => {
    const stats: JobsStatMessage[] = [];
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field !== 1 || wire !== WireType.LengthDelimited) {
        reader.skip(wire, field);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      const stat: JobsStatMessage = { pipeline: '', driver: '', queue: '', active: 0, delayed: 0, reserved: 0, ready: false, priority: 0 };
      while (reader.pos < end) {
        const [statField, statWire] = reader.tag();
        switch (statField) {
          case 1: stat.pipeline = reader.string(); break;
          case 2: stat.driver = reader.string(); break;
          case 3: stat.queue = reader.string(); break;
          case 4: stat.active = Number(reader.int64()); break;
          case 5: stat.delayed = Number(reader.int64()); break;
          case 6: stat.reserved = Number(reader.int64()); break;
          case 7: stat.ready = reader.bool(); break;
          case 8: stat.priority = Number(reader.uint64()); break;
          default: reader.skip(statWire, statField);
        }
      }
      stats.push(stat);
    }
    return stats;
  });
}

function readOptions(reader: BinaryReader): JobOptionsMessage {
  const end = reader.uint32() + reader.pos;
  const options = jobOptions();
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    switch (field) {
      case 1: options.priority = Number(reader.int64()); break;
      case 2: options.pipeline = reader.string(); break;
      case 3: options.delay = Number(reader.int64()); break;
      case 6: options.autoAck = reader.bool(); break;
      case 7: options.topic = reader.string(); break;
      case 8: options.metadata = reader.string(); break;
      case 9: options.offset = Number(reader.int64()); break;
      case 10: options.partition = reader.int32(); break;
      default: reader.skip(wire, field);
    }
  }
  return options;
}

function readHeader(reader: BinaryReader, headers: JobHeaders): void {
  const end = reader.uint32() + reader.pos;
  let name = '';
  const values: string[] = [];
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === WireType.LengthDelimited) name = reader.string();
    else if (field === 2 && wire === WireType.LengthDelimited) {
      const valuesEnd = reader.uint32() + reader.pos;
      while (reader.pos < valuesEnd) {
        const [valueField, valueWire] = reader.tag();
        if (valueField === 1 && valueWire === WireType.LengthDelimited) values.push(reader.string());
        else reader.skip(valueWire, valueField);
      }
    } else reader.skip(wire, field);
  }
  headers[name] = values;
}

function readJob(reader: BinaryReader): JobMessage {
  const end = reader.uint32() + reader.pos;
  const job = jobMessage({ id: '', headers: Object.create(null) as JobHeaders });
  while (reader.pos < end) {
    const [field, wire] = reader.tag();
    switch (field) {
      case 1: job.job = reader.string(); break;
      case 2: job.id = reader.string(); break;
      case 3: job.payload = reader.bytes(); break;
      case 4: readHeader(reader, job.headers); break;
      case 5: job.options = readOptions(reader); break;
      default: reader.skip(wire, field);
    }
  }
  return job;
}

/** Decodes a `jobs.v1.PushRequest` (what rr reads): for tests and tools that play rr's side. */
export function decodePushRequest(bytes: Uint8Array): JobMessage {
  return decode('PushRequest', bytes, (reader) => {
    let job = jobMessage({ id: '' });
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) job = readJob(reader);
      else reader.skip(wire, field);
    }
    return job;
  });
}

/** Decodes a `jobs.v1.PushBatchRequest` (what rr reads): for tests and tools that play rr's side. */
export function decodePushBatchRequest(bytes: Uint8Array): JobMessage[] {
  return decode('PushBatchRequest', bytes, (reader) => {
    const jobs: JobMessage[] = [];
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field === 1 && wire === WireType.LengthDelimited) jobs.push(readJob(reader));
      else reader.skip(wire, field);
    }
    return jobs;
  });
}

/** Decodes a `jobs.v1.DeclareRequest` (what rr reads): for tests and tools that play rr's side. */
export function decodeDeclareRequest(bytes: Uint8Array): Record<string, string> {
  return decode('DeclareRequest', bytes, (reader) => {
    const pipeline = Object.create(null) as Record<string, string>;
    while (reader.pos < reader.len) {
      const [field, wire] = reader.tag();
      if (field !== 1 || wire !== WireType.LengthDelimited) {
        reader.skip(wire, field);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      let key = '';
      let value = '';
      while (reader.pos < end) {
        const [entryField, entryWire] = reader.tag();
        if (entryField === 1 && entryWire === WireType.LengthDelimited) key = reader.string();
        else if (entryField === 2 && entryWire === WireType.LengthDelimited) value = reader.string();
        else reader.skip(entryWire, entryField);
      }
      pipeline[key] = value;
    }
    return pipeline;
  });
}

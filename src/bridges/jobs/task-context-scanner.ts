import type { ReceivedTask } from './decode-task.js';
import type { JobHeaders } from './proto/jobs-v1.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c]; // null
/** Longest integer read here; longer ones (a Kafka offset past 2^53...) take JSON.parse's path. */
const MAX_DIGITS = 15;
/** Values up to this length are kept, so the next task's job, pipeline and driver names are not decoded again. */
const MAX_REMEMBERED = 64;

/** Where a field's last value is remembered ({@link TaskContextScanner}); `none`: not remembered (ids differ per task). */
const enum Slot {
  none = -1,
  job = 0,
  pipeline = 1,
  driver = 2,
  queue = 3,
  topic = 4,
}

/** What {@link TaskContextScanner.scan} answers for a context that is anything but the plain case. */
const NOT_PLAIN = undefined;

/**
 * Reads a jobs task's context as rr's drivers write it (Go's `encoding/json`: no whitespace, keys
 * as declared), byte by byte, without `JSON.parse`: V8 builds a parsed object that `decodeTask` then
 * copies field by field, where this builds the task directly. A job in process drops from 2.8 to
 * 2.35 us (docs/performance.md, "Round 5").
 *
 * It only takes the plain case, and answers `undefined` for anything else: an escape in a string,
 * a key it does not know, a number it cannot read exactly, any syntax error. The caller then
 * decodes the context with `decodeTask` (`JSON.parse`), so every error and every edge case keeps
 * one implementation. For each context it does take, the task equals what `decodeTask` builds (the
 * jobs fuzz test compares the two over random and mutated contexts).
 *
 * Job, pipeline, driver and queue names repeat from task to task: the last value seen for each is
 * kept with its bytes, and reused while the bytes match. One scanner per jobs worker.
 */
export class TaskContextScanner {
  #bytes: Buffer = EMPTY;
  #at = 0;
  readonly #remembered: Array<{ bytes: Uint8Array; value: string } | undefined> = [];

  scan(context: Uint8Array, body: Uint8Array): ReceivedTask | undefined {
    this.#bytes = Buffer.isBuffer(context) ? context : Buffer.from(context.buffer, context.byteOffset, context.byteLength);
    this.#at = 0;
    try {
      return this.#task(body);
    } finally {
      this.#bytes = EMPTY;
    }
  }

  #task(body: Uint8Array): ReceivedTask | undefined {
    let id: string | undefined;
    let job: string | undefined;
    let pipeline: string | undefined;
    let driver: string | undefined;
    let queue: string | undefined;
    let headers: JobHeaders | undefined;
    let topic: string | undefined;
    let partition: number | undefined;
    let offset: number | undefined;
    if (!this.#take(OPEN_BRACE)) return NOT_PLAIN;
    if (!this.#take(CLOSE_BRACE)) {
      do {
        const keyStart = this.#at + 1;
        if (!this.#skipString()) return NOT_PLAIN;
        const key = this.#keyName(keyStart, this.#at - 1);
        if (!this.#take(COLON)) return NOT_PLAIN;
        switch (key) {
          case 'id':
            id = this.#string(Slot.none);
            if (id === undefined || id === '') return NOT_PLAIN;
            break;
          case 'job':
            job = this.#string(Slot.job);
            if (job === undefined) return NOT_PLAIN;
            break;
          case 'pipeline':
            if (this.#takeNull()) pipeline = undefined;
            else if ((pipeline = this.#string(Slot.pipeline)) === undefined) return NOT_PLAIN;
            break;
          case 'driver':
            if (this.#takeNull()) driver = undefined;
            else if ((driver = this.#string(Slot.driver)) === undefined) return NOT_PLAIN;
            break;
          case 'queue':
            if (this.#takeNull()) queue = undefined;
            else if ((queue = this.#string(Slot.queue)) === undefined) return NOT_PLAIN;
            break;
          case 'topic':
            if (this.#takeNull()) topic = undefined;
            else if ((topic = this.#string(Slot.topic)) === undefined) return NOT_PLAIN;
            break;
          case 'partition':
            if (this.#takeNull()) partition = undefined;
            else if ((partition = this.#integer()) === undefined) return NOT_PLAIN;
            break;
          case 'offset':
            if (this.#takeNull()) offset = undefined;
            else if ((offset = this.#integer()) === undefined) return NOT_PLAIN;
            break;
          case 'headers':
            if (this.#takeNull()) headers = undefined;
            else if ((headers = this.#headers()) === undefined) return NOT_PLAIN;
            break;
          default:
            return NOT_PLAIN;
        }
      } while (this.#take(COMMA));
      if (!this.#take(CLOSE_BRACE)) return NOT_PLAIN;
    }
    if (this.#at !== this.#bytes.length || id === undefined || job === undefined) return NOT_PLAIN;
    return {
      id,
      job,
      pipeline: pipeline ?? 'unknown',
      driver: driver ?? 'unknown',
      queue,
      headers: headers ?? {},
      topic,
      partition,
      offset,
      payload: body,
    };
  }

  #take(byte: number): boolean {
    if (this.#bytes[this.#at] !== byte) return false;
    this.#at += 1;
    return true;
  }

  #takeNull(): boolean {
    const bytes = this.#bytes;
    const at = this.#at;
    if (bytes[at] !== NULL_BYTES[0] || bytes[at + 1] !== NULL_BYTES[1] || bytes[at + 2] !== NULL_BYTES[2] || bytes[at + 3] !== NULL_BYTES[3]) return false;
    this.#at = at + 4;
    return true;
  }

  /** Moves past a string with no escapes or control characters; false for anything else. */
  #skipString(): boolean {
    const bytes = this.#bytes;
    let at = this.#at;
    if (bytes[at] !== QUOTE) return false;
    for (at += 1; at < bytes.length; at++) {
      const byte = bytes[at]!;
      if (byte === QUOTE) {
        this.#at = at + 1;
        return true;
      }
      if (byte === BACKSLASH || byte < 0x20) return false;
    }
    return false;
  }

  /** The known key between `start` and `end` (its quotes excluded), or '' for any other. */
  #keyName(start: number, end: number): string {
    const bytes = this.#bytes;
    for (const key of KEYS) {
      if (end - start !== key.length) continue;
      let same = true;
      for (let i = 0; i < key.length && same; i++) same = bytes[start + i] === key.charCodeAt(i);
      if (same) return key;
    }
    return '';
  }

  #string(slot: Slot): string | undefined {
    const start = this.#at + 1;
    if (!this.#skipString()) return undefined;
    return this.#text(start, this.#at - 1, slot);
  }

  #text(start: number, end: number, slot: Slot): string {
    const bytes = this.#bytes;
    // UTF-8 as JSON.parse over Buffer's decoding gives it (invalid sequences as U+FFFD); for
    // ASCII, Buffer's UTF-8 decoder is as fast as its Latin-1 one, so there is no ASCII check.
    if (slot === Slot.none || end - start > MAX_REMEMBERED) return bytes.toString('utf8', start, end);
    const known = this.#remembered[slot];
    if (known !== undefined && sameBytes(known.bytes, bytes, start, end)) return known.value;
    const value = bytes.toString('utf8', start, end);
    this.#remembered[slot] = { bytes: bytes.slice(start, end), value };
    return value;
  }

  /** An integer JSON.parse would read exactly: optional minus, no leading zero, at most 15 digits. */
  #integer(): number | undefined {
    const bytes = this.#bytes;
    let at = this.#at;
    const negative = bytes[at] === MINUS;
    if (negative) at += 1;
    const first = at;
    let value = 0;
    while (at < bytes.length && bytes[at]! >= DIGIT_0 && bytes[at]! <= DIGIT_9) {
      value = value * 10 + (bytes[at]! - DIGIT_0);
      at += 1;
    }
    const digits = at - first;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && bytes[first] === DIGIT_0)) return undefined;
    // A fraction or an exponent: JSON.parse's path decides what it is.
    const next = bytes[at];
    if (next === 0x2e || next === 0x65 || next === 0x45) return undefined;
    this.#at = at;
    return negative ? -value : value;
  }

  /** `{"name":["value",...] or null,...}`, in the shape `decodeTask`'s other path gives. */
  #headers(): JobHeaders | undefined {
    if (!this.#take(OPEN_BRACE)) return undefined;
    const headers: JobHeaders = {};
    if (this.#take(CLOSE_BRACE)) return headers;
    do {
      const nameStart = this.#at + 1;
      if (!this.#skipString()) return undefined;
      const name = this.#text(nameStart, this.#at - 1, Slot.none);
      // Assigning __proto__ would set the prototype; JSON.parse makes it a key. Its path handles it.
      if (name === '__proto__' || !this.#take(COLON)) return undefined;
      if (this.#takeNull()) {
        headers[name] = [];
        continue;
      }
      if (!this.#take(OPEN_BRACKET)) return undefined;
      const values: string[] = [];
      if (!this.#take(CLOSE_BRACKET)) {
        do {
          const value = this.#string(Slot.none);
          if (value === undefined) return undefined;
          values.push(value);
        } while (this.#take(COMMA));
        if (!this.#take(CLOSE_BRACKET)) return undefined;
      }
      headers[name] = values;
    } while (this.#take(COMMA));
    return this.#take(CLOSE_BRACE) ? headers : undefined;
  }
}

const KEYS = ['id', 'job', 'driver', 'headers', 'pipeline', 'queue', 'topic', 'partition', 'offset'] as const;
const EMPTY = Buffer.alloc(0);

function sameBytes(known: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}

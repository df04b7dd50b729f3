import type { Serializer } from './serializer/serializer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The serializer a KV cache uses when none is given: JSON as UTF-8 bytes, readable from any
 * language that shares the storage.
 */
export function defaultKvSerializer(): Serializer {
  return JSON_SERIALIZER;
}

const JSON_SERIALIZER: Serializer = {
  name: 'json',
  serialize(value: unknown): Uint8Array {
    const json = JSON.stringify(value);
    // JSON.stringify(undefined) (or a function) gives undefined: nothing a reader could get back.
    if (json === undefined) throw new TypeError(`cannot store ${typeof value} as JSON`);
    return encoder.encode(json);
  },
  deserialize(bytes: Uint8Array): unknown {
    return JSON.parse(decoder.decode(bytes));
  },
};

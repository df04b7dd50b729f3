import type { Serializer } from './serializer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON as UTF-8: readable from any language sharing the storage (PHP's `json_decode`). It keeps
 * what JSON keeps: a `Date` comes back as its ISO string, a `Map` as `{}`, `undefined`
 * properties are dropped.
 */
export const jsonSerializer: Serializer = {
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

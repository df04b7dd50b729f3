import type { Serializer } from './serializer.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * JSON: readable from any language, so values can be shared with PHP workers (`json_decode`). It
 * keeps what JSON keeps: a `Date` comes back as its ISO string, a `Map` as `{}`, `undefined`
 * properties are dropped.
 */
export const jsonSerializer: Serializer = {
  name: 'json',
  serialize: (value) => encoder.encode(JSON.stringify(value)),
  deserialize: (bytes) => JSON.parse(decoder.decode(bytes)),
};

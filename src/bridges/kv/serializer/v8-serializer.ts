import { deserialize, serialize } from 'node:v8';
import type { Serializer } from './serializer.js';

/**
 * Node's structured clone format: keeps `Date`, `Map`, `Set`, typed arrays, `BigInt` and cycles.
 * Node-only: a PHP worker sharing the storage cannot read it, and the format may change between
 * major Node versions (the header carries its version; an unknown one fails to deserialize).
 */
export const v8Serializer: Serializer = {
  name: 'v8',
  serialize: (value) => serialize(value),
  deserialize: (bytes) => deserialize(bytes),
};

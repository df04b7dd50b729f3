import { jsonSerializer } from './serializer/json-serializer.js';
import type { Serializer } from './serializer/serializer.js';

/** The serializer a KV cache uses when none is given: JSON, readable from any language. */
export function defaultKvSerializer(): Serializer {
  return jsonSerializer;
}

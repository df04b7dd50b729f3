/**
 * Turns cache values into the bytes rr's KV plugin stores, and back. rr stores opaque bytes: the
 * encoding is entirely the client's, so every worker (and any PHP worker sharing the storage) must
 * use the same one.
 */
export interface Serializer {
  /** A short name for messages and config (`json`, `v8`, `msgpack`...). */
  readonly name: string;
  serialize(value: unknown): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}

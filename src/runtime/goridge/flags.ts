/** Byte 1 of a goridge frame header. Flags are OR-able. */
export const FrameFlag = {
  /** Control message (pid handshake, stop). Payload is JSON. */
  CONTROL: 0x01,
  CODEC_RAW: 0x04,
  CODEC_JSON: 0x08,
  CODEC_MSGPACK: 0x10,
  CODEC_GOB: 0x20,
  /** The payload is an error message. */
  ERROR: 0x40,
  CODEC_PROTO: 0x80,
} as const;

/** Byte 10 of a goridge frame header: streaming bits. */
export const StreamFlag = {
  /** More frames of the same response follow. */
  STREAM: 0x01,
  /** rr → worker: stop producing the current stream. */
  STOP: 0x02,
  PING: 0x04,
  PONG: 0x08,
} as const;

/** Protocol version carried in the high nibble of byte 0. */
export const FRAME_VERSION = 1;
/** Bytes in a header without options. */
export const FRAME_HEADER_SIZE = 12;
/** goridge allows at most 10 options (header length nibble 13). */
export const MAX_FRAME_OPTIONS = 10;

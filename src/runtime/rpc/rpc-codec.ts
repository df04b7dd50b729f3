import { FrameFlag } from '../goridge/flags.js';

/**
 * The codec bit of an RPC request frame. rr decodes the argument and encodes the result with it:
 * proto for `kv.*`, `jobs.*`, `centrifuge.*`; JSON for `informer.*`, `resetter.*`, `rpc.Version`;
 * raw for methods taking or returning `[]byte`.
 */
export const RpcCodec = {
  JSON: FrameFlag.CODEC_JSON,
  PROTO: FrameFlag.CODEC_PROTO,
  RAW: FrameFlag.CODEC_RAW,
} as const;

export type RpcCodec = (typeof RpcCodec)[keyof typeof RpcCodec];

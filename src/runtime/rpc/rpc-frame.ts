import { ProtocolError } from '../errors.js';
import { FrameFlag } from '../goridge/flags.js';
import type { Frame } from '../goridge/frame.js';
import type { OutgoingFrame } from '../relay/relay.js';
import type { RpcCodec } from './rpc-codec.js';

/**
 * An RPC request as rr's goridge codec reads it: flags = codec, options exactly `[seq,
 * len(method)]`, payload = method ‖ argument. The argument stays a separate part (no copy).
 */
export function rpcRequestFrame(seq: number, method: string, codec: RpcCodec, body: Uint8Array): OutgoingFrame {
  const name = Buffer.from(method, 'utf8');
  return { flags: codec, options: [seq, name.length], payload: body.length === 0 ? name : [name, body] };
}

/** A decoded RPC response frame. */
export interface RpcResponse {
  seq: number;
  /** The method name rr echoes back. */
  method: string;
  /** The error text when rr set the ERROR flag. */
  error: string | undefined;
  /** The encoded result (empty on error): a view into the frame, not a copy. */
  body: Buffer;
}

/**
 * Reads an RPC response frame: options `[seq, len(method)]`, payload = method ‖ result, or method ‖
 * error text with the ERROR flag. Throws a {@link ProtocolError} when the frame does not have that
 * shape.
 */
export function parseRpcResponse(frame: Frame): RpcResponse {
  if (frame.options.length !== 2) {
    throw new ProtocolError(`RPC response frame must carry exactly two options [seq, method length], got ${frame.options.length}`);
  }
  const [seq, methodLength] = frame.options as [number, number];
  if (methodLength > frame.payload.length) {
    throw new ProtocolError(`RPC response frame says its method name is ${methodLength} bytes but the payload has only ${frame.payload.length}`);
  }
  const method = frame.payload.toString('utf8', 0, methodLength);
  const rest = frame.payload.subarray(methodLength);
  if (frame.flags & FrameFlag.ERROR) return { seq, method, error: rest.toString('utf8'), body: rest.subarray(0, 0) };
  return { seq, method, error: undefined, body: rest };
}

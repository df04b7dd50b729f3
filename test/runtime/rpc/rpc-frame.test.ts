import { expect } from 'chai';
import { ProtocolError } from '../../../src/runtime/errors.js';
import { FrameFlag } from '../../../src/runtime/goridge/flags.js';
import { decodeFrame, encodeFrame } from '../../../src/runtime/goridge/frame.js';
import { RpcCodec } from '../../../src/runtime/rpc/rpc-codec.js';
import { parseRpcResponse, rpcRequestFrame } from '../../../src/runtime/rpc/rpc-frame.js';
import { FRAME_VECTORS, hex, KV_HAS_BODY } from '../../support/goridge-vectors.js';

function bytesOf(frame: ReturnType<typeof rpcRequestFrame>): Buffer {
  const payload = Array.isArray(frame.payload) ? Buffer.concat(frame.payload) : (frame.payload as Uint8Array);
  return encodeFrame({ ...frame, payload });
}

describe('RPC frames', () => {
  it('encodes the kv.Has vector (seq 1, proto) byte for byte', () => {
    const frame = rpcRequestFrame(1, 'kv.Has', RpcCodec.PROTO, KV_HAS_BODY);
    expect(bytesOf(frame).toString('hex')).to.equal(hex(FRAME_VECTORS.find((v) => v.name.includes('kv.Has'))!.hex).toString('hex'));
  });

  it('encodes the informer.Workers vector (seq 7, JSON "http") byte for byte', () => {
    const frame = rpcRequestFrame(7, 'informer.Workers', RpcCodec.JSON, Buffer.from(JSON.stringify('http')));
    expect(bytesOf(frame).toString('hex')).to.equal(hex(FRAME_VECTORS.find((v) => v.name.includes('informer'))!.hex).toString('hex'));
  });

  it('counts the method length in bytes, not characters', () => {
    const frame = rpcRequestFrame(2, 'svc.Métode', RpcCodec.RAW, Buffer.alloc(0));
    expect(frame.options).to.deep.equal([2, 11]);
    expect(frame.flags).to.equal(FrameFlag.CODEC_RAW);
  });

  it('keeps the argument a separate part (no copy)', () => {
    const body = Buffer.alloc(10);
    const frame = rpcRequestFrame(3, 'a.B', RpcCodec.PROTO, body);
    expect((frame.payload as Buffer[])[1]).to.equal(body);
  });

  it('parses a response: seq, echoed method, result after options[1] bytes', () => {
    const response = parseRpcResponse(decodeFrame(encodeFrame({ flags: RpcCodec.JSON, options: [9, 14], payload: Buffer.from('resetter.Resettrue') })));
    expect(response).to.deep.include({ seq: 9, method: 'resetter.Reset', error: undefined });
    expect(response.body.toString()).to.equal('true');
  });

  it('parses an ERROR response into its text', () => {
    const frame = decodeFrame(encodeFrame({ flags: FrameFlag.ERROR, options: [4, 6], payload: Buffer.from("kv.Hasrpc: can't find method kv.Has") }));
    const response = parseRpcResponse(frame);
    expect(response.error).to.equal("rpc: can't find method kv.Has");
    expect(response.body.length).to.equal(0);
  });

  it('throws a ProtocolError for a response without exactly two options or with a method longer than the payload', () => {
    expect(() => parseRpcResponse(decodeFrame(encodeFrame({ flags: 8, options: [1], payload: Buffer.from('x') })))).to.throw(ProtocolError, /exactly two options/);
    expect(() => parseRpcResponse(decodeFrame(encodeFrame({ flags: 8, options: [1, 5], payload: Buffer.from('x') })))).to.throw(ProtocolError, /5 bytes/);
  });
});

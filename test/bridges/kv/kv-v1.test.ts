import { expect } from 'chai';
import {
  decodeKvRequest,
  decodeKvResponse,
  encodeKvRequest,
  encodeKvResponse,
  kvItem,
} from '../../../src/bridges/kv/proto/kv-v1.js';
import { ProtocolError } from '../../../src/runtime/errors.js';
import { hex, KV_HAS_BODY } from '../../support/goridge-vectors.js';

describe('kv.v1 codec', () => {
  it('encodes kv.Has {storage: "local", items: [{key: "a"}]} to the golden bytes', () => {
    const bytes = encodeKvRequest({ storage: 'local', items: [kvItem({ key: 'a' })] });
    expect(Buffer.from(bytes).toString('hex')).to.equal(KV_HAS_BODY.toString('hex'));
  });

  it('writes key=1, value=2 (bytes), timeout=3 in an item and omits proto3 defaults', () => {
    const bytes = encodeKvRequest({ storage: 's', items: [kvItem({ key: 'k', value: Uint8Array.of(0, 255), timeout: 'T' })] });
    // 0a 01 73 | 12 0a [0a 01 6b | 12 02 00 ff | 1a 01 54]
    expect(Buffer.from(bytes).toString('hex')).to.equal(hex('0a 01 73 12 0a 0a 01 6b 12 02 00 ff 1a 01 54').toString('hex'));
    expect(Buffer.from(encodeKvRequest({ storage: '', items: [] })).length).to.equal(0);
  });

  it('round-trips requests and responses, including a value over 1 MiB', () => {
    const big = new Uint8Array(1024 * 1024 + 17).map((_, i) => i % 251);
    const request = { storage: 'redis', items: [kvItem({ key: 'big', value: big, timeout: '2030-01-01T00:00:00+00:00' }), kvItem({ key: 'x' })] };
    const decoded = decodeKvRequest(encodeKvRequest(request));
    expect(decoded.storage).to.equal('redis');
    expect(decoded.items.map((item) => item.key)).to.deep.equal(['big', 'x']);
    expect(Buffer.from(decoded.items[0]!.value).equals(Buffer.from(big))).to.equal(true);
    expect(decoded.items[0]!.timeout).to.equal('2030-01-01T00:00:00+00:00');
    expect(decoded.items[1]).to.deep.equal({ key: 'x', value: new Uint8Array(0), timeout: '' });

    const response = decodeKvResponse(encodeKvResponse({ items: [kvItem({ key: 'a', value: Uint8Array.of(1) })] }));
    expect(response.items).to.have.length(1);
    expect(response.items[0]!.key).to.equal('a');
    expect([...response.items[0]!.value]).to.deep.equal([1]);
  });

  it('skips unknown fields, as protobuf readers must', () => {
    // Response { 1: Item{key "a"}, 9: varint 5 }
    const response = decodeKvResponse(hex('0a 03 0a 01 61 48 05'));
    expect(response.items.map((item) => item.key)).to.deep.equal(['a']);
  });

  it('rejects malformed bytes with a ProtocolError naming the message', () => {
    expect(() => decodeKvResponse(hex('0a 09 0a 01'))).to.throw(ProtocolError, /kv\.v1\.Response/);
    expect(() => decodeKvRequest(hex('12 05 0a'))).to.throw(ProtocolError, /kv\.v1\.Request/);
  });
});

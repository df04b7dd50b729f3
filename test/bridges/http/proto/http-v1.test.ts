import { expect } from 'chai';
import { decodeHttpRequest, decodeHttpResponse, encodeHttpRequest, encodeHttpResponse } from '../../../../src/bridges/http/proto/http-v1.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { prng } from '../../../support/prng.js';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A string of random code points (astral ones and a BOM included), or random bytes as Latin-1. */
function randomText(random: Random, latin1: boolean): string {
  const length = Math.floor(random() * 12);
  let text = '';
  for (let i = 0; i < length; i++) {
    if (latin1) text += String.fromCharCode(Math.floor(random() * 256));
    else text += String.fromCodePoint(pick(random, [0x41, 0x7a, 0xe9, 0x20ac, 0xfeff, 0x1f600, Math.floor(random() * 0xd7ff)]));
  }
  return text;
}

/** Writes a field nobody reads, of a random wire type, as a newer rr could. */
function unknownField(random: Random, writer: BinaryWriter, field: number): void {
  switch (Math.floor(random() * 5)) {
    case 0: writer.tag(field, WireType.Varint).uint64(BigInt(Math.floor(random() * 2 ** 53)) * 1024n); break;
    case 1: writer.tag(field, WireType.Bit64).fixed64(7n); break;
    case 2: writer.tag(field, WireType.LengthDelimited).bytes(Buffer.from(randomText(random, true), 'latin1')); break;
    case 3: writer.tag(field, WireType.Bit32).fixed32(9); break;
    default: writer.tag(field, WireType.StartGroup).tag(1, WireType.Varint).uint32(5).tag(field, WireType.EndGroup);
  }
}

describe('http.v1 codec', () => {
  it('encodes http.v1.Response exactly as the reference vector', () => {
    const bytes = encodeHttpResponse({ status: 200, headers: { 'Content-Type': ['text/plain'] } });
    expect(Buffer.from(bytes).toString('hex')).to.equal('08c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e');
  });

  it('round-trips every http.v1.Request field, multi-valued maps included', () => {
    const uploads = Buffer.from('{"f":{"name":"a.txt"}}');
    const message = decodeHttpRequest(
      encodeHttpRequest({
        remoteAddr: '10.0.0.1',
        protocol: 'HTTP/2.0',
        method: 'POST',
        uri: 'https://example.test/a?b=1',
        header: { Accept: ['text/html', 'application/json'], 'X-Latin': ['caf\u00e9'] },
        cookies: { sid: ['abc def'] },
        rawQuery: 'b=1',
        parsed: true,
        uploads,
        attributes: { 'rr.attr': ['x', 'y'] },
      }),
    );
    expect(message).to.deep.include({ remoteAddr: '10.0.0.1', protocol: 'HTTP/2.0', method: 'POST', uri: 'https://example.test/a?b=1', rawQuery: 'b=1', parsed: true });
    expect({ ...message.header }).to.deep.equal({ Accept: ['text/html', 'application/json'], 'X-Latin': ['caf\u00e9'] });
    expect({ ...message.cookies }).to.deep.equal({ sid: ['abc def'] });
    expect({ ...message.attributes }).to.deep.equal({ 'rr.attr': ['x', 'y'] });
    expect(Buffer.from(message.uploads!).equals(uploads)).to.equal(true);
  });

  it('keeps a header named __proto__ as an ordinary key', () => {
    const message = decodeHttpRequest(encodeHttpRequest({ method: 'GET', uri: 'http://x/', header: JSON.parse('{"__proto__":["polluted"]}') }));
    expect(Object.getPrototypeOf(message.header)).to.equal(null);
    expect(message.header['__proto__']).to.deep.equal(['polluted']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('decodes the status and headers rr reads back', () => {
    const decoded = decodeHttpResponse(encodeHttpResponse({ status: 404, headers: { 'set-cookie': ['a=1', 'b=2'] } }));
    expect(decoded.status).to.equal(404);
    expect({ ...decoded.headers }).to.deep.equal({ 'set-cookie': ['a=1', 'b=2'] });
  });

  it('decodes 5,000 random requests exactly as written: entries split and repeated, unknown fields of every wire type skipped', () => {
    const random = prng(0x5eed);
    for (let round = 0; round < 5_000; round++) {
      const expected = { remoteAddr: '', protocol: '', method: '', uri: '', rawQuery: '', parsed: false, header: {} as Record<string, string[]>, cookies: {} as Record<string, string[]>, attributes: {} as Record<string, string[]> };
      const writer = new BinaryWriter();
      for (let field = Math.floor(random() * 14); field > 0; field--) {
        const kind = pick(random, ['remoteAddr', 'protocol', 'method', 'uri', 'rawQuery', 'parsed', 'header', 'cookies', 'attributes', 'unknown'] as const);
        if (kind === 'unknown') unknownField(random, writer, 11 + Math.floor(random() * 2000));
        else if (kind === 'parsed') {
          expected.parsed = random() < 0.5;
          writer.tag(8, WireType.Varint).bool(expected.parsed);
        } else if (kind === 'header' || kind === 'cookies' || kind === 'attributes') {
          const latin1 = kind === 'header';
          const key = randomText(random, false);
          const values = Array.from({ length: Math.floor(random() * 3) }, () => randomText(random, latin1));
          (expected[kind][key] ??= []).push(...values);
          writer.tag({ header: 5, cookies: 6, attributes: 10 }[kind], WireType.LengthDelimited).fork();
          if (random() < 0.2) unknownField(random, writer, 3);
          writer.tag(1, WireType.LengthDelimited).string(key);
          writer.tag(2, WireType.LengthDelimited).fork();
          for (const value of values) writer.tag(1, WireType.LengthDelimited).bytes(Buffer.from(value, latin1 ? 'latin1' : 'utf8'));
          if (random() < 0.2) unknownField(random, writer, 2);
          writer.join().join();
        } else {
          expected[kind] = randomText(random, false);
          writer.tag({ remoteAddr: 1, protocol: 2, method: 3, uri: 4, rawQuery: 7 }[kind], WireType.LengthDelimited).string(expected[kind]);
        }
      }
      const decoded = decodeHttpRequest(writer.finish());
      const { header, cookies, attributes, uploads, ...plain } = decoded;
      const { header: h, cookies: c, attributes: a, ...expectedPlain } = expected;
      expect(plain, `round ${round}`).to.deep.equal(expectedPlain);
      expect(uploads).to.equal(undefined);
      expect([{ ...header }, { ...cookies }, { ...attributes }], `round ${round}`).to.deep.equal([h, c, a]);
    }
  });

  it('answers 100,000 random and mutated contexts with a request or a ProtocolError, never another error', () => {
    const random = prng(0xbad5eed);
    const valid = Buffer.from(
      encodeHttpRequest({ remoteAddr: '10.0.0.1', protocol: 'HTTP/1.1', method: 'GET', uri: 'http://x/a?b', header: { Accept: ['*/*', 'a'] }, cookies: { s: ['1'] }, rawQuery: 'b', parsed: true, uploads: Buffer.from('{}'), attributes: { k: ['v'] } }),
    );
    let decoded = 0;
    let refused = 0;
    for (let round = 0; round < 100_000; round++) {
      let bytes: Buffer;
      if (round % 4 === 0) bytes = Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
      else {
        bytes = Buffer.from(valid);
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        if (random() < 0.3) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      }
      try {
        const message = decodeHttpRequest(bytes);
        expect(typeof message.uri).to.equal('string');
        decoded += 1;
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw new Error(`round ${round}: ${bytes.toString('hex')} threw ${String(error)}`);
        refused += 1;
      }
    }
    expect(decoded, 'some mutations still decode').to.be.greaterThan(1_000);
    expect(refused, 'some are refused').to.be.greaterThan(1_000);
  });

  it('throws a ProtocolError for malformed bytes: a truncated length, a field past its map entry, a group never closed', () => {
    expect(() => decodeHttpRequest(Uint8Array.from([0x22, 0x05, 0x61]))).to.throw(ProtocolError, /runs past its end/);
    // header entry of 3 bytes whose key claims 5
    expect(() => decodeHttpRequest(Uint8Array.from([0x2a, 0x03, 0x0a, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65]))).to.throw(ProtocolError, /runs past its end/);
    expect(() => decodeHttpRequest(Uint8Array.from([0x5b, 0x08, 0x01]))).to.throw(ProtocolError, /group 11 is not closed/);
    expect(() => decodeHttpRequest(Uint8Array.from([0x00]))).to.throw(ProtocolError, /field no 0/);
  });

  it('throws a ProtocolError for malformed bytes', () => {
    expect(() => decodeHttpRequest(Uint8Array.from([0x0a, 0xff]))).to.throw(ProtocolError, /malformed http.v1.Request/);
  });
});

import { expect } from 'chai';
import { parseForwardedHeader } from '../../../../src/bridges/http/request/parse-forwarded-header.js';
import { parseHopAddress } from '../../../../src/bridges/http/request/parse-hop-address.js';

describe('parseForwardedHeader', () => {
  it('reads elements left to right, with tokens and quoted strings', () => {
    expect(parseForwardedHeader('for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711";host="example.com:8443"')).to.deep.equal([
      { for: '192.0.2.60', proto: 'http', by: '203.0.113.43' },
      { for: '[2001:db8:cafe::17]:4711', host: 'example.com:8443' },
    ]);
  });

  it('is case-insensitive on keys, tolerates spaces around ";" and ",", unescapes quoted pairs, drops empty pairs', () => {
    expect(parseForwardedHeader('For="a\\"b" ; PROTO=https;;by=x; ,for=unknown')).to.deep.equal([{ for: 'a"b', proto: 'https', by: 'x' }, { for: 'unknown' }]);
  });

  it('keeps the last of duplicate keys, and reads no spaces around "="', () => {
    // Changed on purpose with forwarded-parse: it keeps the last duplicate (RFC 7239 forbids them, so
    // neither is more right) and, like RFC 7239, allows no space around "="; it was the first, and spaces.
    expect(parseForwardedHeader('proto=https;proto=http, for=1.2.3.4')).to.deep.equal([{ proto: 'http' }, { for: '1.2.3.4' }]);
    expect(parseForwardedHeader('for = 1.2.3.4, for=5.6.7.8')).to.deep.equal([{}, { for: '5.6.7.8' }]);
  });

  it('does not split on a comma inside a quoted string', () => {
    expect(parseForwardedHeader('for="1.1.1.1, 2.2.2.2";proto=https, for=3.3.3.3')).to.deep.equal([{ for: '1.1.1.1, 2.2.2.2', proto: 'https' }, { for: '3.3.3.3' }]);
  });

  it('never throws on garbage: a damaged element tells nothing, and the next comma starts a sound one', () => {
    // Changed on purpose: a damaged element is dropped whole; the parameters before the damage were kept.
    expect(parseForwardedHeader('')).to.deep.equal([]);
    expect(parseForwardedHeader('garbage, for=1.2.3.4')).to.deep.equal([{}, { for: '1.2.3.4' }]);
    expect(parseForwardedHeader('for=1.2.3.4 junk;proto=https, for=5.6.7.8')).to.deep.equal([{}, { for: '5.6.7.8' }]);
    expect(parseForwardedHeader('proto=https;for="unterminated')).to.deep.equal([{}]);
    expect(parseForwardedHeader('for="x\\')).to.deep.equal([{}]);
    expect(() => parseForwardedHeader(';;,,==;"",\\')).to.not.throw();
  });

  it("keeps the proxy's element when the client's own is damaged", () => {
    expect(parseForwardedHeader('for="[::1, for=6.6.6.6;proto=http"x, for=198.51.100.4;proto=https')).to.deep.equal([{}, { for: '198.51.100.4', proto: 'https' }]);
  });
});

describe('parseHopAddress', () => {
  const cases: Array<[string, string | undefined]> = [
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7:4711 ', '203.0.113.7'],
    ['"203.0.113.7"', '203.0.113.7'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['[2001:db8::1]:4711', '2001:db8::1'],
    ['"[2001:db8::1]"', '2001:db8::1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['unknown', undefined],
    ['_hidden', undefined],
    ['127.1', undefined],
    ['999.1.1.1', undefined],
    ['1.2.3.4:port', undefined],
    ['[2001:db8::1', undefined],
    ['[2001:db8::1]junk', undefined],
    ['', undefined],
    ['<script>', undefined],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${expected ?? 'ignored'}`, () => {
      expect(parseHopAddress(raw)?.toString()).to.equal(expected);
    });
  }
});

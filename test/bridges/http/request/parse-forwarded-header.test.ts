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

  it('is case-insensitive on keys, tolerates spaces, unescapes quoted pairs, keeps the first duplicate', () => {
    expect(parseForwardedHeader('For = "a\\"b" ; PROTO=https;proto=http ,for=unknown')).to.deep.equal([{ for: 'a"b', proto: 'https' }, { for: 'unknown' }]);
  });

  it('does not split on a comma inside a quoted string', () => {
    expect(parseForwardedHeader('for="1.1.1.1, 2.2.2.2";proto=https, for=3.3.3.3')).to.deep.equal([{ for: '1.1.1.1, 2.2.2.2', proto: 'https' }, { for: '3.3.3.3' }]);
  });

  it('never throws on garbage: damaged elements lose what follows the damage, parsing resumes at the next comma', () => {
    expect(parseForwardedHeader('')).to.deep.equal([]);
    expect(parseForwardedHeader('garbage, for=1.2.3.4')).to.deep.equal([{}, { for: '1.2.3.4' }]);
    expect(parseForwardedHeader('for=1.2.3.4 junk;proto=https, for=5.6.7.8')).to.deep.equal([{ for: '1.2.3.4' }, { for: '5.6.7.8' }]);
    expect(parseForwardedHeader('proto=https;for="unterminated')).to.deep.equal([{ proto: 'https' }]);
    expect(() => parseForwardedHeader(';;,,==;"",\\')).to.not.throw();
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

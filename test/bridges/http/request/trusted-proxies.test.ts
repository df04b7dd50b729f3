import { expect } from 'chai';
import { PRIVATE_RANGES as PRIVATE, TrustedProxies, type TrustedProxyOptions } from '../../../../src/bridges/http/request/trusted-proxies.js';
import { ConfigError } from '../../../../src/runtime/errors.js';
import { HttpRequestOptionsError } from '../../../../src/bridges/http/errors.js';
import proxyAddr from '@fastify/proxy-addr';
import { prng } from '../../../support/prng.js';

const RR_URL = new URL('http://app.internal:8080/path?q=1');

function resolve(options: TrustedProxyOptions, peer: string, headers: Record<string, string | string[]> = {}) {
  const list = new Headers();
  for (const [name, value] of Object.entries(headers)) for (const item of [value].flat()) list.append(name, item);
  return TrustedProxies.from(options).resolve(peer, list, RR_URL);
}

const ALL_HEADERS = { trustedHeaders: ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded'] } as const;

describe('TrustedProxies', () => {
  describe('options', () => {
    it('accepts IPs, CIDRs, keywords, a comma-separated string, and any header spelling case', () => {
      expect(() => TrustedProxies.from({ trustedProxies: ['10.0.0.1', '10.0.0.0/8', '2001:db8::/32', '::1', 'private_ranges', 'REMOTE_ADDR'] })).to.not.throw();
      expect(() => TrustedProxies.from({ trustedProxies: ' 10.0.0.0/8 , REMOTE_ADDR,' })).to.not.throw();
      expect(() => TrustedProxies.from({ trustedHeaders: ['X-Forwarded-For' as 'x-forwarded-for', 'forwarded'] })).to.not.throw();
    });

    for (const [bad, index] of [
      ['10.0.0.0/33', 1],
      ['10.0.0.0/', 1],
      ['10.0.0.0/8/8', 1],
      ['not-an-ip', 1],
      ['127.1', 1],
      ['127.1/8', 1],
      ['garbage/0', 1],
      ['loopback', 1],
      ['', 1],
    ] as const) {
      it(`rejects ${JSON.stringify(bad)}, naming the value and its position`, () => {
        let error: unknown;
        try {
          TrustedProxies.from({ trustedProxies: ['10.0.0.1', bad] });
        } catch (caught) {
          error = caught;
        }
        expect(error).to.be.instanceOf(HttpRequestOptionsError).and.instanceOf(ConfigError);
        const typed = error as HttpRequestOptionsError;
        expect(typed.path).to.equal(`trustedProxies[${index}]`);
        expect(typed.value).to.equal(bad);
        expect(typed.message).to.contain(JSON.stringify(bad));
        expect(typed.code).to.equal('ERR_CONFIG');
      });
    }

    it('accepts a netmask for an IPv4 range, as proxy-addr reads it', () => {
      expect(resolve({ trustedProxies: ['10.0.0.0/255.0.0.0'] }, '10.9.8.7', { 'x-forwarded-for': '198.51.100.4' }).clientAddress).to.equal('198.51.100.4');
      expect(resolve({ trustedProxies: ['10.0.0.0/255.0.0.0'] }, '11.0.0.1', { 'x-forwarded-for': '198.51.100.4' }).fromTrustedProxy).to.equal(false);
    });

    it('reads 0.0.0.0/0 and ::/0 as every address of the family, as Symfony does (proxy-addr alone refuses a /0)', () => {
      expect(resolve({ trustedProxies: ['0.0.0.0/0'] }, '203.0.113.9', { 'x-forwarded-for': '198.51.100.4' }).clientAddress).to.equal('198.51.100.4');
      expect(resolve({ trustedProxies: ['0.0.0.0/0'] }, '2001:db8::9', { 'x-forwarded-for': '198.51.100.4' }).fromTrustedProxy).to.equal(false);
      expect(resolve({ trustedProxies: ['::/0'] }, '2001:db8::9', { 'x-forwarded-for': '198.51.100.4' }).clientAddress).to.equal('198.51.100.4');
      expect(resolve({ trustedProxies: ['::/0'] }, '203.0.113.9', { 'x-forwarded-for': '198.51.100.4' }).fromTrustedProxy).to.equal(false);
    });

    it('rejects non-string entries and unknown headers with a typed error', () => {
      expect(() => TrustedProxies.from({ trustedProxies: [42 as unknown as string] })).to.throw(HttpRequestOptionsError, 'trustedProxies[0]');
      expect(() => TrustedProxies.from({ trustedHeaders: ['x-real-ip' as 'forwarded'] }))
        .to.throw(HttpRequestOptionsError, 'trustedHeaders[0]: expected one of')
        .with.property('value', 'x-real-ip');
      expect(() => TrustedProxies.from({ trustedHeaders: 'forwarded' as unknown as [] })).to.throw(HttpRequestOptionsError, 'trustedHeaders');
    });
  });

  describe('an untrusted peer', () => {
    it('has every forwarding header ignored: spoofed X-Forwarded-For, proto, host, port, Forwarded', () => {
      const result = resolve({ trustedProxies: ['10.0.0.0/8'], ...ALL_HEADERS }, '203.0.113.9', {
        'x-forwarded-for': '1.1.1.1',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-port': '444',
        forwarded: 'for=2.2.2.2;proto=https;host=evil.example',
      });
      expect(result).to.deep.include({ clientAddress: '203.0.113.9', fromTrustedProxy: false });
      expect(result.url.href).to.equal('http://app.internal:8080/path?q=1');
    });

    it('is untrusted when nothing is configured (the default)', () => {
      expect(resolve({}, '127.0.0.1', { 'x-forwarded-for': '1.1.1.1' })).to.deep.include({ clientAddress: '127.0.0.1', fromTrustedProxy: false });
    });

    it('keeps an unparseable peer address as rr sent it', () => {
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, 'pipe', { 'x-forwarded-for': '1.1.1.1' }).clientAddress).to.equal('pipe');
    });
  });

  describe('a trusted peer', () => {
    it('gives the X-Forwarded-For client', () => {
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', { 'x-forwarded-for': '198.51.100.4' })).to.deep.include({
        clientAddress: '198.51.100.4',
        fromTrustedProxy: true,
      });
    });

    it('walks right to left, skipping trusted hops: a client-supplied prefix cannot spoof', () => {
      const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.7' };
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', headers).clientAddress).to.equal('198.51.100.4');
    });

    it('reads several X-Forwarded-For lines as one list', () => {
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', { 'x-forwarded-for': ['6.6.6.6', '198.51.100.4, 10.0.0.7'] }).clientAddress).to.equal('198.51.100.4');
    });

    it('skips garbage entries instead of throwing or returning them', () => {
      const headers = { 'x-forwarded-for': '198.51.100.4, not-an-ip, , 10.0.0.7:443, <script>' };
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', headers).clientAddress).to.equal('198.51.100.4');
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', { 'x-forwarded-for': 'garbage' }).clientAddress).to.equal('10.0.0.2');
    });

    it('gives the leftmost hop when every hop is trusted', () => {
      expect(resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', { 'x-forwarded-for': '10.9.9.9, 10.0.0.7' }).clientAddress).to.equal('10.9.9.9');
    });

    it('matches IPv4-mapped IPv6 peers and hops against IPv4 ranges, and normalises them', () => {
      const result = resolve({ trustedProxies: ['10.0.0.0/8', '::ffff:192.168.0.0/112'] }, '::ffff:10.0.0.2', { 'x-forwarded-for': '::ffff:198.51.100.4, 192.168.3.3' });
      expect(result).to.deep.include({ clientAddress: '198.51.100.4', fromTrustedProxy: true });
    });

    it('matches IPv6 ranges', () => {
      expect(resolve({ trustedProxies: ['2001:db8::/32'] }, '2001:db8::5', { 'x-forwarded-for': '2001:db9::1' }).clientAddress).to.equal('2001:db9::1');
      expect(resolve({ trustedProxies: ['2001:db8::/32'] }, '2001:db9::5', { 'x-forwarded-for': '1.1.1.1' }).fromTrustedProxy).to.equal(false);
    });

    it('ignores a forwarding header that is not in trustedHeaders', () => {
      const result = resolve({ trustedProxies: ['10.0.0.0/8'], trustedHeaders: ['x-forwarded-proto'] }, '10.0.0.2', { 'x-forwarded-for': '1.1.1.1', 'x-forwarded-proto': 'https' });
      expect(result.clientAddress).to.equal('10.0.0.2');
      expect(result.url.protocol).to.equal('https:');
    });
  });

  describe('private_ranges', () => {
    for (const peer of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.1.1', '::1', 'fd12:3456::1', 'fe80::1', '::ffff:192.168.1.1']) {
      it(`trusts ${peer}`, () => {
        expect(resolve({ trustedProxies: 'private_ranges' }, peer, { 'x-forwarded-for': '198.51.100.4' })).to.deep.include({ clientAddress: '198.51.100.4', fromTrustedProxy: true });
      });
    }
    for (const peer of ['172.32.0.1', '8.8.8.8', '2001:db8::1', '100.64.0.1']) {
      it(`does not trust ${peer}`, () => {
        expect(resolve({ trustedProxies: ['private_ranges'] }, peer, { 'x-forwarded-for': '198.51.100.4' }).fromTrustedProxy).to.equal(false);
      });
    }
  });

  describe('REMOTE_ADDR', () => {
    it('trusts whichever direct peer sent this request, re-read per request', () => {
      const proxies = TrustedProxies.from({ trustedProxies: ['REMOTE_ADDR'] });
      const headers = new Headers({ 'x-forwarded-for': '198.51.100.4' });
      expect(proxies.resolve('203.0.113.1', headers, RR_URL).clientAddress).to.equal('198.51.100.4');
      expect(proxies.resolve('203.0.113.2', headers, RR_URL).clientAddress).to.equal('198.51.100.4');
      expect(proxies.resolve('2001:db8::9', headers, RR_URL).clientAddress).to.equal('198.51.100.4');
    });

    it('trusts one hop only: the hop before the peer is the client, even if the client prepended more', () => {
      const result = resolve({ trustedProxies: ['REMOTE_ADDR'] }, '203.0.113.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' });
      expect(result.clientAddress).to.equal('198.51.100.4');
    });

    it('skips the peer itself when its proxy lists its own address', () => {
      expect(resolve({ trustedProxies: ['REMOTE_ADDR'] }, '203.0.113.1', { 'x-forwarded-for': '198.51.100.4, 203.0.113.1' }).clientAddress).to.equal('198.51.100.4');
    });
  });

  describe('Forwarded (RFC 7239)', () => {
    const forwardedOnly = { trustedProxies: ['10.0.0.0/8'], trustedHeaders: ['forwarded'] } as const;

    it('gives the client from quoted IPv6 for= values with ports', () => {
      const result = resolve(forwardedOnly, '10.0.0.2', { forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https, for=10.0.0.9' });
      expect(result.clientAddress).to.equal('2001:db8:cafe::17');
      expect(result.url.protocol).to.equal('https:');
    });

    it('walks elements right to left and skips unknown or obfuscated ones', () => {
      expect(resolve(forwardedOnly, '10.0.0.2', { forwarded: 'for=6.6.6.6, for=198.51.100.4;by=_proxy, for=unknown, for=_hidden' }).clientAddress).to.equal('198.51.100.4');
    });

    it('takes the host (with its port) from host=', () => {
      const result = resolve(forwardedOnly, '10.0.0.2', { forwarded: 'for=198.51.100.4;host="shop.example:8443";proto=https' });
      expect(result.url.href).to.equal('https://shop.example:8443/path?q=1');
    });

    it('when both it and X-Forwarded-For are trusted and disagree, believes neither (one was forged)', () => {
      const both = { trustedProxies: ['10.0.0.0/8'], ...ALL_HEADERS };
      expect(resolve(both, '10.0.0.2', { forwarded: 'for=6.6.6.6', 'x-forwarded-for': '198.51.100.4' }).clientAddress).to.equal('10.0.0.2');
      expect(resolve(both, '10.0.0.2', { forwarded: 'for=198.51.100.4', 'x-forwarded-for': '198.51.100.4' }).clientAddress).to.equal('198.51.100.4');
    });
  });

  describe('scheme, host and port', () => {
    const trusted = { trustedProxies: ['10.0.0.0/8'], ...ALL_HEADERS };

    it('applies proto: the port rr listened on stays unless something says otherwise (as Symfony)', () => {
      expect(resolve(trusted, '10.0.0.2', { 'x-forwarded-proto': 'https' }).url.href).to.equal('https://app.internal:8080/path?q=1');
    });

    it('applies a forwarded host without port: the default port of the scheme', () => {
      expect(resolve(trusted, '10.0.0.2', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' }).url.href).to.equal('https://shop.example/path?q=1');
    });

    it('applies X-Forwarded-Port over the host port, and the first value of each list', () => {
      const result = resolve(trusted, '10.0.0.2', { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'shop.example:9999, inner', 'x-forwarded-port': '8443, 80' });
      expect(result.url.href).to.equal('https://shop.example:8443/path?q=1');
    });

    it('accepts an IPv6 host and Symfony’s secure spellings of proto', () => {
      expect(resolve(trusted, '10.0.0.2', { 'x-forwarded-proto': 'on', 'x-forwarded-host': '[2001:db8::1]:8443' }).url.href).to.equal('https://[2001:db8::1]:8443/path?q=1');
    });

    it('does not take the host unless x-forwarded-host is trusted (not in the defaults)', () => {
      const result = resolve({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' });
      expect(result.url.href).to.equal('https://app.internal/path?q=1');
    });

    it('ignores garbage values, never throwing', () => {
      const garbage: Array<Record<string, string>> = [
        { 'x-forwarded-proto': 'gopher' },
        { 'x-forwarded-host': 'evil.example/path' },
        { 'x-forwarded-host': 'a b' },
        { 'x-forwarded-host': 'user@evil.example' },
        { 'x-forwarded-host': 'host:99999' },
        { 'x-forwarded-host': '[::1' },
        { 'x-forwarded-host': '2001:db8::1' },
        { 'x-forwarded-port': '0' },
        { 'x-forwarded-port': '65536' },
        { 'x-forwarded-port': 'https' },
        { forwarded: 'host="evil example";proto=ftp' },
      ];
      for (const headers of garbage) {
        expect(resolve(trusted, '10.0.0.2', headers).url.href, JSON.stringify(headers)).to.equal('http://app.internal:8080/path?q=1');
      }
    });

    it('never changes the URL it was given', () => {
      resolve(trusted, '10.0.0.2', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'shop.example' });
      expect(RR_URL.href).to.equal('http://app.internal:8080/path?q=1');
    });
  });

  it('trusts exactly the peers proxy-addr\'s own trust function trusts (20,000 addresses against mapped, netmask and zoned ranges)', () => {
    const random = prng(0x7e57);
    const octet = () => Math.floor(random() * 256);
    const hextet = () => Math.floor(random() * 0x10000).toString(16);
    const rangeSets: string[][] = [
      ['private_ranges'],
      ['10.0.0.0/255.0.0.0', '192.168.1.7', '2001:db8::/32'],
      ['::ffff:10.0.0.0/104', '::ffff:192.168.0.0/112', 'fe80::1%eth0'],
      ['::ffff:127.0.0.1', '::ffff:0:0/96', '172.16.0.0/12'],
      ['0.0.0.0/1', '::/1'],
      ['2001:db8::/64', '::ffff:0:0/80'],
    ];
    const addresses = () => {
      switch (Math.floor(random() * 6)) {
        case 0: return `${pick([10, 127, 172, 192, octet()])}.${pick([16, 168, octet()])}.${pick([0, 1, octet()])}.${octet()}`;
        case 1: return `::ffff:${pick([10, 127, 192, octet()])}.${pick([168, octet()])}.${octet()}.${octet()}`;
        case 2: return `2001:db8:${pick(['0', hextet()])}::${hextet()}`;
        case 3: return `fe80::${pick(['1', hextet()])}${pick(['', '%eth0', '%eth1'])}`;
        case 4: return `${pick(['::1', 'fc00::', 'fd12:3456::'])}${hextet()}`;
        default: return `${hextet()}:${hextet()}::${hextet()}`;
      }
    };
    function pick<T>(items: readonly T[]): T {
      return items[Math.floor(random() * items.length)]!;
    }
    const url = new URL('http://app.test/');
    let agreed = 0;
    let trusted = 0;
    for (const ranges of rangeSets) {
      const ours = TrustedProxies.from({ trustedProxies: ranges });
      const theirs = proxyAddr.compile(ranges.flatMap((range) => (range === 'private_ranges' ? [...PRIVATE] : [range])));
      for (let i = 0; i < 20_000 / rangeSets.length; i++) {
        const address = addresses();
        const expected = theirs(address, 0);
        expect(ours.resolve(address, new Headers(), url).fromTrustedProxy, `${address} against ${ranges.join(', ')}`).to.equal(expected);
        agreed += 1;
        if (expected) trusted += 1;
      }
    }
    expect(trusted, 'the addresses reach both answers').to.be.within(agreed / 10, agreed - agreed / 10);
  });
});

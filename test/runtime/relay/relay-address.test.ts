import { expect } from 'chai';
import { RelayError } from '../../../src/runtime/errors.js';
import { formatRelayAddress, parseRelayAddress } from '../../../src/runtime/relay/relay-address.js';

describe('parseRelayAddress', () => {
  it('parses pipes, tcp://host:port and unix://path', () => {
    expect(parseRelayAddress('pipes')).to.deep.equal({ kind: 'pipes' });
    expect(parseRelayAddress('tcp://127.0.0.1:7000')).to.deep.equal({ kind: 'tcp', host: '127.0.0.1', port: 7000 });
    expect(parseRelayAddress('tcp://localhost:6001')).to.deep.equal({ kind: 'tcp', host: 'localhost', port: 6001 });
    expect(parseRelayAddress('unix:///tmp/rr.sock')).to.deep.equal({ kind: 'unix', path: '/tmp/rr.sock', given: '/tmp/rr.sock' });
  });

  it('takes the protocol case-insensitively, as PHP does', () => {
    expect(parseRelayAddress('TCP://h:1')).to.deep.equal({ kind: 'tcp', host: 'h', port: 1 });
    expect(parseRelayAddress('Unix:///a').kind).to.equal('unix');
  });

  it('resolves a relative unix path against cwd (rr passes it relative to its own cwd)', () => {
    expect(parseRelayAddress('unix://rr.sock', '/srv/app')).to.deep.equal({ kind: 'unix', path: '/srv/app/rr.sock', given: 'rr.sock' });
    expect(parseRelayAddress('unix://var/rr.sock', '/srv/app')).to.include({ path: '/srv/app/var/rr.sock' });
    expect(parseRelayAddress('unix://rr.sock')).to.include({ path: `${process.cwd()}/rr.sock` });
  });

  const bad: Array<[string, RegExp]> = [
    ['', /unsupported relay ""/],
    ['PIPES', /unsupported relay "PIPES"/],
    ['pipes://stdin:stdout', /unsupported relay protocol "pipes"/],
    ['stdio', /unsupported relay "stdio"/],
    ['http://h:80', /unsupported relay protocol "http"/],
    ['tcp://host', /has no port/],
    ['tcp://host:', /unsupported relay "tcp:\/\/host:"/],
    ['tcp://host:0', /invalid port "0"/],
    ['tcp://host:65536', /invalid port "65536"/],
    ['tcp://host:80x', /invalid port "80x"/],
    ['tcp://host:80:90', /unsupported relay "tcp:\/\/host:80:90"/],
    ['tcp://[::1]:80', /unsupported relay/],
    ['unix://a:b', /cannot contain ":"/],
    ['unix://', /unsupported relay "unix:\/\/"/],
    [' tcp://h:1', /unsupported relay protocol " tcp"/],
  ];
  for (const [spec, message] of bad) {
    it(`throws a RelayError naming ${JSON.stringify(spec)}`, () => {
      expect(() => parseRelayAddress(spec)).to.throw(RelayError, message);
    });
  }

  it('formats addresses back, unix paths absolute', () => {
    expect(formatRelayAddress(parseRelayAddress('tcp://h:9'))).to.equal('tcp://h:9');
    expect(formatRelayAddress(parseRelayAddress('unix://x.sock', '/w'))).to.equal('unix:///w/x.sock');
    expect(formatRelayAddress({ kind: 'pipes' })).to.equal('pipes');
  });
});

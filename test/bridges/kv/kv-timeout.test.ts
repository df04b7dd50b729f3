import { expect } from 'chai';
import { KvTtlError } from '../../../src/bridges/kv/errors.js';
import { formatRfc3339, kvTimeout, parseKvTimeout } from '../../../src/bridges/kv/kv-timeout.js';

// 2024-05-06T07:08:09.000Z
const NOW = Date.UTC(2024, 4, 6, 7, 8, 9);

describe('KV timeouts (RFC 3339)', () => {
  it("formats like PHP's Y-m-d\\TH:i:sP in UTC: whole seconds and +00:00", () => {
    expect(formatRfc3339(NOW / 1000)).to.equal('2024-05-06T07:08:09+00:00');
  });

  it('turns seconds from now into an absolute timestamp, rounded up with slack so rr never sees < ttl', () => {
    expect(kvTimeout(60, NOW)).to.equal('2024-05-06T07:09:10+00:00'); // 60 s + 0.5 s slack, rounded up
    expect(kvTimeout(60, NOW + 400)).to.equal('2024-05-06T07:09:10+00:00');
    expect(kvTimeout(60, NOW + 600)).to.equal('2024-05-06T07:09:11+00:00');
  });

  it('keeps every TTL at least one second ahead: rr truncates to whole seconds and stores "< 1 s" forever', () => {
    for (const offset of [0, 1, 499, 500, 999]) {
      for (const ttl of [0.001, 0.5, 1]) {
        const at = Date.parse(kvTimeout(ttl, NOW + offset));
        expect(Math.trunc((at - (NOW + offset)) / 1000), `ttl ${ttl} at +${offset} ms`).to.be.at.least(1);
      }
    }
  });

  it('converts a Date into the same kind of timestamp, never earlier than the Date', () => {
    const at = new Date(NOW + 3_600_000 + 250);
    const timeout = kvTimeout(at, NOW);
    expect(Date.parse(timeout)).to.be.at.least(at.getTime());
    expect(Date.parse(timeout) - at.getTime()).to.be.below(2000);
    expect(timeout).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  });

  it('refuses expired, NaN and invalid TTLs with KvTtlError (rr would keep such items forever)', () => {
    expect(() => kvTimeout(0, NOW)).to.throw(KvTtlError, /already expired/);
    expect(() => kvTimeout(-5, NOW)).to.throw(KvTtlError, /already expired/);
    expect(() => kvTimeout(new Date(NOW - 1), NOW)).to.throw(KvTtlError, /already expired/);
    expect(() => kvTimeout(Number.NaN, NOW)).to.throw(KvTtlError, /finite/);
    expect(() => kvTimeout(new Date('nope'), NOW)).to.throw(KvTtlError, /Invalid Date/);
    expect(() => kvTimeout('60' as unknown as number, NOW)).to.throw(KvTtlError, /seconds \(a number\) or an expiry Date/);
  });

  it('reads the timeouts rr returns: "" is no expiry, any RFC 3339 offset is accepted', () => {
    expect(parseKvTimeout('')).to.equal(null);
    expect(parseKvTimeout('2024-05-06T07:08:09+00:00')!.getTime()).to.equal(NOW);
    expect(parseKvTimeout('2024-05-06T09:08:09+02:00')!.getTime()).to.equal(NOW);
    expect(parseKvTimeout('2024-05-06T07:08:09Z')!.getTime()).to.equal(NOW);
    expect(() => parseKvTimeout('tomorrow')).to.throw(KvTtlError, /tomorrow/);
  });
});

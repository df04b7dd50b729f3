import { expect } from 'chai';
import { encodeJobReply, wholeSeconds } from '../../../src/bridges/jobs/index.js';

describe('encodeJobReply', () => {
  it('acks with the exact bytes PHP’s worker sends (reference vector)', () => {
    expect(encodeJobReply({ type: 'ack' }).toString()).to.equal('{"type":2,"data":{}}');
  });

  it('writes NACK and REQUEUE with every field rr reads, delays in whole seconds', () => {
    expect(JSON.parse(encodeJobReply({ type: 'nack', message: 'm', requeue: true, delaySeconds: 1.2 }).toString())).to.deep.equal({
      type: 3,
      data: { message: 'm', requeue: true, delay_seconds: 2 },
    });
    expect(JSON.parse(encodeJobReply({ type: 'requeue', message: '', delaySeconds: 0, headers: { a: ['1'] } }).toString())).to.deep.equal({
      type: 4,
      data: { message: '', delay_seconds: 0, headers: { a: ['1'] } },
    });
  });

  it('never sends a delay Go’s int refuses: NaN, negative, infinite, fractional', () => {
    expect([NaN, -3, Infinity, 0.1, 2 ** 40].map(wholeSeconds)).to.deep.equal([0, 0, 0, 1, 2 ** 31 - 1]);
  });
});

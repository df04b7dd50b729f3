import { expect } from 'chai';
import { StreamStoppedError } from '../../../src/runtime/errors.js';
import type { OutgoingFrame } from '../../../src/runtime/relay/relay.js';
import { UnitOfWork } from '../../../src/runtime/worker/unit-of-work.js';

function unit(): { unit: UnitOfWork; sent: OutgoingFrame[] } {
  const sent: OutgoingFrame[] = [];
  const created = new UnitOfWork({ send: async (frame) => void sent.push(frame) }, { flags: 0x80, context: Buffer.alloc(0), body: Buffer.alloc(0) });
  return { unit: created, sent };
}

describe('runtime/worker UnitOfWork', () => {
  it('aborts its signal with the stop reason, whether the signal was made before or after the stop', () => {
    const early = unit().unit;
    const signal = early.signal;
    const reason = new Error('client gone');
    early.stop(reason);
    expect([signal.aborted, signal.reason, early.stopped]).to.deep.equal([true, reason, true]);

    const late = unit().unit;
    expect(late.stopped).to.equal(false);
    late.stop(reason);
    expect([late.signal.aborted, late.signal.reason]).to.deep.equal([true, reason]);
    late.stop(new Error('a second stop changes nothing'));
    expect(late.signal.reason).to.equal(reason);
  });

  it('refuses to stream once stopped, but still sends the final frame', async () => {
    const { unit: stopped, sent } = unit();
    stopped.stop();
    let refused: unknown;
    await stopped.stream(Buffer.from('late')).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(StreamStoppedError);
    await stopped.respond();
    expect(sent).to.have.length(1);
    expect(sent[0]!.streamFlags).to.equal(0);
  });
});

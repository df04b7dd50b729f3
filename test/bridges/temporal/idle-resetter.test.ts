import { expect } from 'chai';
import { IdleResetter } from '../../../src/bridges/temporal/idle-resetter.js';

describe('bridges/temporal IdleResetter', () => {
  it('resets when the last running call ends, once for overlapping calls', async () => {
    let resets = 0;
    const resetter = new IdleResetter(async () => {
      resets += 1;
    });
    await resetter.enter();
    await resetter.enter();
    await resetter.exit();
    expect(resets, 'one call still running').to.equal(0);
    await resetter.exit();
    expect(resets).to.equal(1);
    await resetter.enter();
    await resetter.exit();
    expect(resets).to.equal(2);
  });

  it('holds back a call that starts while a reset is in progress', async () => {
    const order: string[] = [];
    let finishReset!: () => void;
    const resetter = new IdleResetter(() => {
      order.push('reset started');
      return new Promise<void>((resolve) => (finishReset = resolve)).then(() => {
        order.push('reset done');
      });
    });
    await resetter.enter();
    const exited = resetter.exit();
    const entered = resetter.enter().then(() => order.push('next call entered'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).to.deep.equal(['reset started']);
    finishReset();
    await Promise.all([exited, entered]);
    expect(order).to.deep.equal(['reset started', 'reset done', 'next call entered']);
    expect(resetter.running).to.equal(1);
  });

  it("rejects the exit that reset with the reset's error, and lets the next call in", async () => {
    const resetter = new IdleResetter(() => Promise.reject(new Error('reset failed')));
    await resetter.enter();
    const failure = await resetter.exit().catch((error: unknown) => error as Error);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'reset failed');
    await resetter.enter();
    expect(resetter.running).to.equal(1);
  });
});

import { expect } from 'chai';
import { FrameError } from '../../src/runtime/errors.js';

/** What `promise` rejected with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail('expected a rejection');
}

/** The {@link FrameError} `fn` throws; fails the test on any other outcome. */
export function frameErrorOf(fn: () => unknown): FrameError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(FrameError);
    return error as FrameError;
  }
  expect.fail('expected a FrameError');
}

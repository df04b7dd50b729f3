import { ApplicationFailure } from '@temporalio/activity';
import { expect } from 'chai';
import { classifyActivityFailure } from '../../../src/bridges/temporal/activity-failure.js';

describe('bridges/temporal classifyActivityFailure', () => {
  const attempt = (n: number, retryPolicy?: { maximumAttempts?: number; nonRetryableErrorTypes?: string[] }) => ({ attempt: n, retryPolicy });

  it('an ordinary error is retryable, and retried while attempts are left', () => {
    expect(classifyActivityFailure(new Error('db down'), attempt(1))).to.deep.equal({ retryable: true, willRetry: true });
    expect(classifyActivityFailure(new Error('db down'), attempt(2, { maximumAttempts: 3 }))).to.deep.equal({ retryable: true, willRetry: true });
    expect(classifyActivityFailure(new Error('db down'), attempt(3, { maximumAttempts: 3 }))).to.deep.equal({ retryable: true, willRetry: false });
    expect(classifyActivityFailure(new Error('db down'), attempt(9, { maximumAttempts: 0 })), '0 means unlimited').to.deep.equal({ retryable: true, willRetry: true });
  });

  it('a non-retryable ApplicationFailure is never retried', () => {
    const failure = ApplicationFailure.nonRetryable('card declined', 'CardDeclined');
    expect(classifyActivityFailure(failure, attempt(1))).to.deep.equal({ retryable: false, willRetry: false });
    expect(classifyActivityFailure(ApplicationFailure.retryable('busy', 'Busy'), attempt(1))).to.deep.equal({ retryable: true, willRetry: true });
  });

  it("an error whose type the retry policy lists as non-retryable is not retried: the failure's type, else the error's name", () => {
    const policy = { nonRetryableErrorTypes: ['CardDeclined', 'TypeError'] };
    expect(classifyActivityFailure(ApplicationFailure.create({ message: 'no', type: 'CardDeclined' }), attempt(1, policy)).retryable).to.equal(false);
    expect(classifyActivityFailure(new TypeError('x is undefined'), attempt(1, policy)).retryable).to.equal(false);
    expect(classifyActivityFailure(new RangeError('too big'), attempt(1, policy)).retryable).to.equal(true);
  });
});

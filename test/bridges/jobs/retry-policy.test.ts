import { expect } from 'chai';
import { ATTEMPTS_HEADER, JobsConfigError, RetryPolicy } from '../../../src/bridges/jobs/index.js';

describe('RetryPolicy', () => {
  it('defaults to four attempts, 1 s doubling, capped at an hour', () => {
    const policy = new RetryPolicy();
    expect([0, 1, 2, 3].map((failed) => policy.afterFailure(failed))).to.deep.equal([
      { retry: true, attempts: 1, delaySeconds: 1 },
      { retry: true, attempts: 2, delaySeconds: 2 },
      { retry: true, attempts: 3, delaySeconds: 4 },
      { retry: false, attempts: 4 },
    ]);
  });

  it('caps the backoff at maxDelay; maxAttempts 1 never retries', () => {
    const policy = new RetryPolicy({ maxAttempts: 100, delay: 10, multiplier: 10, maxDelay: 500 });
    expect(policy.afterFailure(5)).to.deep.equal({ retry: true, attempts: 6, delaySeconds: 500 });
    expect(new RetryPolicy({ maxAttempts: 1 }).afterFailure(0)).to.deep.equal({ retry: false, attempts: 1 });
  });

  it('reads the attempt count from its header, ignoring values it did not write', () => {
    const policy = new RetryPolicy();
    expect(policy.failedAttempts({})).to.equal(0);
    expect(policy.failedAttempts({ [ATTEMPTS_HEADER]: ['3'] })).to.equal(3);
    for (const bad of ['-1', '1.5', 'x', '', '99999999999']) expect(policy.failedAttempts({ [ATTEMPTS_HEADER]: [bad] }), bad).to.equal(0);
  });

  it('refuses values out of range, naming the option', () => {
    for (const [options, key] of [
      [{ maxAttempts: 0 }, 'retry.maxAttempts'],
      [{ maxAttempts: 2.5 }, 'retry.maxAttempts'],
      [{ delay: -1 }, 'retry.delay'],
      [{ multiplier: 0.5 }, 'retry.multiplier'],
      [{ maxDelay: Number.NaN }, 'retry.maxDelay'],
    ] as const) {
      expect(() => new RetryPolicy(options)).to.throw(JobsConfigError).with.property('key', key);
    }
  });
});

import { JobsConfigError } from './errors.js';
import type { JobHeaders } from './proto/jobs-v1.js';

/**
 * The header counting how many times a task has failed so far. The worker writes it on every retry
 * (rr keeps headers across a requeue), so the count survives worker restarts and travels with the
 * task whichever worker gets it next.
 */
export const ATTEMPTS_HEADER = 'x-rr-attempts';

/** Options of {@link RetryPolicy}; `jobs.retry` in the runtime config, snake_cased. */
export interface RetryPolicyOptions {
  /**
   * Attempts in all, the first one included; when the last one fails the task is dead-lettered
   * (or nacked without requeue). `1` means never retry. Default 4 (one try and three retries, as
   * Symfony Messenger's default `max_retries: 3`).
   */
  maxAttempts: number;
  /** Seconds before the first retry. Default 1. `0` retries at once. */
  delay: number;
  /** Each retry waits this many times longer than the one before (exponential backoff). Default 2; `1` keeps the delay constant. */
  multiplier: number;
  /** Upper bound of the wait, in seconds. Default 3600. */
  maxDelay: number;
}

/** What happens after a failed attempt. */
export type RetryDecision =
  | { readonly retry: true; readonly attempts: number; readonly delaySeconds: number }
  | { readonly retry: false; readonly attempts: number };

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyOptions> = Object.freeze({ maxAttempts: 4, delay: 1, multiplier: 2, maxDelay: 3600 });

/**
 * Decides whether a failed task is tried again, and after how long: the n-th retry waits
 * `delay * multiplier^(n-1)` seconds, at most `maxDelay`, until `maxAttempts` attempts have failed.
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly delay: number;
  readonly multiplier: number;
  readonly maxDelay: number;

  /** @throws JobsConfigError naming the option that is out of range. */
  constructor(options: Partial<RetryPolicyOptions> = {}) {
    const merged = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options) };
    this.maxAttempts = check('retry.maxAttempts', merged.maxAttempts, 1, 'a whole number of attempts >= 1', true);
    this.delay = check('retry.delay', merged.delay, 0, 'a number of seconds >= 0');
    this.multiplier = check('retry.multiplier', merged.multiplier, 1, 'a number >= 1');
    this.maxDelay = check('retry.maxDelay', merged.maxDelay, 0, 'a number of seconds >= 0');
  }

  /**
   * Failed attempts recorded in the task's {@link ATTEMPTS_HEADER}: 0 for a fresh task, and for a
   * header that is not a whole number (written by someone else), so a bad header cannot stop retries
   * from ending.
   */
  failedAttempts(headers: Readonly<JobHeaders>): number {
    const value = headers[ATTEMPTS_HEADER]?.[0];
    if (value === undefined || !/^\d{1,9}$/.test(value)) return 0;
    return Number(value);
  }

  /** The decision after one more failure of a task that had failed `failedBefore` times. */
  afterFailure(failedBefore: number): RetryDecision {
    const attempts = failedBefore + 1;
    if (attempts >= this.maxAttempts) return { retry: false, attempts };
    const delaySeconds = Math.min(this.delay * this.multiplier ** (attempts - 1), this.maxDelay);
    return { retry: true, attempts, delaySeconds };
  }
}

function definedOnly(options: Partial<RetryPolicyOptions>): Partial<RetryPolicyOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function check(key: string, value: unknown, min: number, expected: string, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new JobsConfigError(key, `expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

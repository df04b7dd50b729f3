import type { Info } from '@temporalio/activity';

/** How an activity failure stands with Temporal's retries. */
export interface ActivityFailureKind {
  /**
   * False when the error itself rules out retries: an `ApplicationFailure` created non-retryable
   * (`ApplicationFailure.nonRetryable(...)`), or an error whose type (the failure's `type`, else
   * the error's `name`) is listed in the retry policy's `nonRetryableErrorTypes`.
   */
  readonly retryable: boolean;
  /** True when Temporal will schedule another attempt: retryable, and `maximumAttempts` not reached. */
  readonly willRetry: boolean;
}

/**
 * Tells retryable failures from the ones Temporal will not retry, from the error and the
 * attempt's retry policy (as the server decides; a schedule-to-close timeout may still end the
 * retries early).
 */
export function classifyActivityFailure(error: unknown, info: Pick<Info, 'attempt' | 'retryPolicy'>): ActivityFailureKind {
  const failure = error as { nonRetryable?: unknown; type?: unknown; name?: unknown } | null;
  const type = typeof failure?.type === 'string' ? failure.type : typeof failure?.name === 'string' ? failure.name : undefined;
  const retryable = failure?.nonRetryable !== true && !(type !== undefined && (info.retryPolicy?.nonRetryableErrorTypes ?? []).includes(type));
  const maximumAttempts = info.retryPolicy?.maximumAttempts ?? 0;
  const attemptsLeft = maximumAttempts <= 0 || info.attempt < maximumAttempts;
  return { retryable, willRetry: retryable && attemptsLeft };
}

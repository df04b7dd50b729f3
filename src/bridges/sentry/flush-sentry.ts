import type { SentryModule } from './sentry-module.js';

/**
 * `Sentry.flush(timeout)`, but bounded by our own timer too: the Node client first awaits its
 * tracer provider's `forceFlush()`, which the timeout does not cover, and a worker that never
 * exits is killed by rr only after `pool.destroy_timeout`. Resolves true when everything queued
 * was delivered in time, false otherwise (including when flush itself failed).
 */
export async function flushSentry(sentry: SentryModule, timeout: number): Promise<boolean> {
  if (timeout <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeout);
    // A pending flush must not be what keeps the process alive.
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve(sentry.flush(timeout)).then((done) => done === true, () => false), expired]);
  } finally {
    clearTimeout(timer);
  }
}

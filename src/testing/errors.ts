/**
 * A test worker could not do what a test asked: the app serves no such mode, its boot failed, the
 * worker's reply is not something rr would read as intended, the worker stopped. Its message says
 * what and where; `cause` holds the app's own error when there is one.
 */
export class TestWorkerError extends Error {
  override readonly name: string = 'TestWorkerError';
}

/** The app's worker failed to boot (its config, container or mode factory threw): `cause` is why. */
export class TestWorkerBootError extends TestWorkerError {
  override readonly name = 'TestWorkerBootError';
}

/**
 * `assertIsolated` found state of one unit of work in the next: a service kept per-request data
 * past its unit. A plain `Error` subclass, so every test framework reports it as a failure.
 */
export class IsolationError extends Error {
  override readonly name: string = 'IsolationError';
  /** Stable code, for frameworks and tools that match on it. */
  readonly code: string = 'ERR_ISOLATION';
  /** What the second unit's outcome showed (text, truncated). */
  readonly actual: string;
  /** What it should not have shown: the first unit's identity. */
  readonly leaked: string;

  constructor(message: string, details: { actual: string; leaked: string }) {
    super(message);
    this.actual = details.actual;
    this.leaked = details.leaked;
  }
}

/**
 * `assertIsolated` cannot tell whether state leaked: a unit's outcome does not show the identity
 * it ran with, so a leak would go unseen. Fix the probe, not the app.
 */
export class IsolationProbeError extends IsolationError {
  override readonly name = 'IsolationProbeError';
  override readonly code = 'ERR_ISOLATION_PROBE';
}

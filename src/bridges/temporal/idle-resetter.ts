/**
 * Resets the declared `Resettable` singletons after activity calls, but never under a running
 * one. An HTTP worker serves one request at a time, so it resets after each; a Temporal worker
 * runs many activities at once, and resetting a singleton in the middle of another call would
 * pull state from under it. So the reset runs when the last running call ends, and a call that
 * starts meanwhile waits for it. With `maxConcurrentActivityTaskExecutions: 1` that is after
 * every call; under steady overlapping load, state can carry from one call to an overlapping
 * one, as two concurrent requests share a singleton in any Node server.
 */
export class IdleResetter {
  readonly #reset: () => Promise<void>;
  #running = 0;
  #resetting: Promise<void> | undefined;

  /** @param reset resets the services (`ServicesResetter.reset`); its rejection reaches {@link exit}'s caller. */
  constructor(reset: () => Promise<void>) {
    this.#reset = reset;
  }

  /** Counts a call as running, after a reset in progress has finished. */
  async enter(): Promise<void> {
    while (this.#resetting !== undefined) await this.#resetting;
    this.#running += 1;
  }

  /** Counts a call as done; when it was the last one running, resets and rejects if the reset failed. */
  async exit(): Promise<void> {
    this.#running -= 1;
    if (this.#running > 0) return;
    const reset = this.#reset();
    this.#resetting = reset.then(
      () => undefined,
      () => undefined,
    );
    try {
      await reset;
    } finally {
      this.#resetting = undefined;
    }
  }

  /** Calls running now. */
  get running(): number {
    return this.#running;
  }
}

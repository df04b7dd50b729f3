/**
 * Base class of every event the runtime dispatches. A listener calls {@link stopPropagation} to
 * keep the listeners after it (lower priority) from running, e.g. once a Centrifugo `ConnectEvent`
 * has been answered. Named so it does not shadow the DOM `Event` global.
 */
export class StoppableEvent {
  #propagationStopped = false;

  /** True once a listener called {@link stopPropagation}. */
  get isPropagationStopped(): boolean {
    return this.#propagationStopped;
  }

  /** No further listener is called for this dispatch. Cannot be undone. */
  stopPropagation(): void {
    this.#propagationStopped = true;
  }
}

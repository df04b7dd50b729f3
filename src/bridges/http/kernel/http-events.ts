import type { RequestScope } from '../../../container/index.js';
import { StoppableEvent } from '../../../runtime/events/stoppable-event.js';

/** An event a listener answers by setting {@link response}, which also stops the listeners after it. */
abstract class AnswerableEvent extends StoppableEvent {
  #response: Response | undefined;

  get response(): Response | undefined {
    return this.#response;
  }

  set response(response: Response) {
    this.#response = response;
    this.stopPropagation();
  }
}

/**
 * Dispatched before routing. A listener that sets {@link response} answers the request without
 * reaching a controller (an auth gate, a maintenance page) and stops the listeners after it.
 */
export class HttpRequestEvent extends AnswerableEvent {
  constructor(
    readonly request: Request,
    readonly scope: RequestScope,
  ) {
    super();
  }
}

/** Dispatched with the controller's response; listeners may replace it (add headers, compress). */
export class HttpResponseEvent extends StoppableEvent {
  constructor(
    readonly request: Request,
    public response: Response,
    readonly scope: RequestScope,
  ) {
    super();
  }
}

/**
 * Dispatched when routing or a controller threw. A listener that sets {@link response} turns the
 * error into that response (a JSON problem document, a redirect); otherwise the bridge renders its
 * error page (development: with the stack; production: without internals).
 */
export class HttpExceptionEvent extends AnswerableEvent {
  constructor(
    readonly request: Request,
    readonly error: unknown,
    readonly scope: RequestScope,
  ) {
    super();
  }
}

/** Dispatched after the response was sent to rr, before services are reset: deferred work goes here. */
export class HttpTerminateEvent extends StoppableEvent {
  constructor(
    readonly request: Request,
    readonly response: Response,
    readonly scope: RequestScope,
  ) {
    super();
  }
}

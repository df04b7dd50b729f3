import { describeId, type AbstractNewable } from '../../container/index.js';
import { getEventListenerMetadata, type ListenerClass } from '../../runtime/events/as-event-listener.js';
import type { EventDispatcher, Listener } from '../../runtime/events/event-dispatcher.js';
import { JobHandlerError } from './errors.js';
import { JobsRunEvent } from './jobs-run-event.js';

/** True for a promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Adds the `@AsEventListener({ event: JobsRunEvent })` declarations of `classes` to `dispatcher`,
 * each resolving its instance from the task's scope (`event.scope`) when called. Unlike the
 * runtime's `registerListeners`, the listener it adds is synchronous when the method is, so a
 * task whose listeners return nothing costs no promise (see {@link dispatchJobsRunEvent}).
 *
 * @throws JobHandlerError for a class without such a declaration.
 */
export function addJobsListeners(dispatcher: EventDispatcher, classes: readonly ListenerClass[]): void {
  for (const listenerClass of classes) {
    const declarations = getEventListenerMetadata(listenerClass).filter((declaration) => declaration.event === JobsRunEvent);
    if (declarations.length === 0) {
      throw new JobHandlerError(`${describeId(listenerClass)} is listed as a jobs listener but has no @AsEventListener({ event: JobsRunEvent })`);
    }
    for (const { method, priority } of declarations) {
      const listener = (event: JobsRunEvent): unknown => {
        const instance = event.scope.get(listenerClass as AbstractNewable<Record<string, (event: JobsRunEvent) => unknown>>);
        return instance[method]!(event);
      };
      Object.defineProperty(listener, 'name', { value: `${listenerClass.name}.${method}` });
      dispatcher.addListener(JobsRunEvent, listener, priority);
    }
  }
}

/**
 * `dispatcher.dispatch(event)` with the same order, propagation and error rules, but synchronous
 * while the listeners are: it returns a promise only from the first listener that returns one.
 */
export function dispatchJobsRunEvent(dispatcher: EventDispatcher, event: JobsRunEvent): void | Promise<void> {
  return runFrom(dispatcher.getListeners(JobsRunEvent), 0, event);
}

function runFrom(listeners: readonly Listener<JobsRunEvent>[], start: number, event: JobsRunEvent): void | Promise<void> {
  for (let index = start; index < listeners.length; index++) {
    if (event.isPropagationStopped) return;
    const result = listeners[index]!(event);
    if (isThenable(result)) return Promise.resolve(result).then(() => runFrom(listeners, index + 1, event));
  }
}

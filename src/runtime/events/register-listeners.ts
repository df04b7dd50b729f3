import { EventListenerError } from '../errors.js';
import type { ListenerClass } from './as-event-listener.js';
import { getEventListenerMetadata } from './as-event-listener.js';
import type { EventClass, EventDispatcher, Listener } from './event-dispatcher.js';

/**
 * Returns the listener instance for a class, given the event being dispatched to it. Called at
 * **dispatch time**, every time, so the DI container decides the lifetime: a singleton comes back
 * the same, a request-scoped listener comes from the event's unit's scope. May be async.
 */
export type ListenerResolver = (listenerClass: ListenerClass, event: object) => object | Promise<object>;

/**
 * Adds to `dispatcher` one listener per `@AsEventListener` declaration of each class. Nothing is
 * instantiated now: each call resolves the instance through `resolve`, then calls its method.
 *
 * @returns a function that removes every listener this call added (for test overrides and hot reloads).
 * @throws EventListenerError when a class has no `@AsEventListener`: passing one is a forgotten decorator.
 */
export function registerListeners(
  dispatcher: EventDispatcher,
  classes: Iterable<ListenerClass>,
  resolve: ListenerResolver,
): () => void {
  const added: { event: EventClass; listener: Listener<object> }[] = [];
  for (const listenerClass of classes) {
    const declarations = getEventListenerMetadata(listenerClass);
    if (declarations.length === 0) {
      throw new EventListenerError(`registerListeners: ${listenerClass.name || 'an anonymous class'} has no @AsEventListener decorator`);
    }
    for (const { event, method, priority } of declarations) {
      const listener = async (dispatched: object): Promise<unknown> => {
        const instance = await resolve(listenerClass, dispatched);
        const handler = (instance as Record<string, unknown>)[method];
        if (typeof handler !== 'function') {
          throw new EventListenerError(
            `${listenerClass.name}.${method}: the instance resolved for ${listenerClass.name} has no method "${method}" (listening to ${event.name})`,
          );
        }
        return handler.call(instance, dispatched);
      };
      // Named after the target so stack traces and getListeners() say which listener it is.
      Object.defineProperty(listener, 'name', { value: `${listenerClass.name}.${method}` });
      dispatcher.addListener(event, listener, priority);
      added.push({ event, listener });
    }
  }
  return () => {
    for (const { event, listener } of added) dispatcher.removeListener(event, listener);
  };
}

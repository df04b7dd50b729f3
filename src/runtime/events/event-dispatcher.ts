import { StoppableEvent } from './stoppable-event.js';

/** An event class; listeners are registered per class. */
export type EventClass<E extends object = object> = abstract new (...args: never[]) => E;

/** Called with the event; a returned promise is awaited before the next listener runs. */
export type Listener<E extends object = object> = (event: E) => unknown;

interface Registration {
  readonly listener: Listener<never>;
  readonly priority: number;
}

/**
 * Dispatches events to listeners registered per event class, in the style of Symfony's
 * EventDispatcher:
 *
 * - An event reaches the listeners of its **exact** class (`event.constructor`), not those of its
 *   parent classes, as Symfony matches on the event name.
 * - Listeners run one after another, awaited: higher `priority` first, equal priorities in
 *   registration order.
 * - After each listener, a {@link StoppableEvent} whose propagation was stopped ends the dispatch.
 * - A listener that throws (or rejects) ends the dispatch and `dispatch` rejects with **that same
 *   error, unwrapped**, so callers can branch on its class (a job listener's error decides the
 *   nack). Nothing is swallowed.
 * - Listeners added or removed during a dispatch take effect from the next dispatch.
 */
export class EventDispatcher {
  // Each list is replaced, never mutated, so a running dispatch keeps iterating its own snapshot
  // without copying on every dispatch.
  private readonly listeners = new Map<EventClass, readonly Registration[]>();

  /**
   * Adds `listener` for events of `eventClass`. The same function may be added more than once; it
   * then runs once per registration.
   *
   * @param priority higher runs earlier; default 0; any finite number, negative included.
   */
  addListener<E extends object>(eventClass: EventClass<E>, listener: Listener<E>, priority = 0): void {
    if (typeof eventClass !== 'function') throw new TypeError('addListener: eventClass must be a class');
    if (typeof listener !== 'function') throw new TypeError(`addListener(${eventClass.name}): listener must be a function`);
    if (!Number.isFinite(priority)) throw new TypeError(`addListener(${eventClass.name}): priority must be a finite number, got ${priority}`);
    const current = this.listeners.get(eventClass) ?? [];
    // Insert after every registration of the same or higher priority: stable by registration order.
    let at = current.length;
    while (at > 0 && (current[at - 1] as Registration).priority < priority) at -= 1;
    const registration: Registration = { listener: listener as Listener<never>, priority };
    this.listeners.set(eventClass, [...current.slice(0, at), registration, ...current.slice(at)]);
  }

  /** Removes every registration of `listener` for `eventClass`; returns whether there was one. */
  removeListener<E extends object>(eventClass: EventClass<E>, listener: Listener<E>): boolean {
    const current = this.listeners.get(eventClass);
    if (current === undefined) return false;
    const kept = current.filter((registration) => registration.listener !== listener);
    if (kept.length === current.length) return false;
    if (kept.length === 0) this.listeners.delete(eventClass);
    else this.listeners.set(eventClass, kept);
    return true;
  }

  /** Whether any listener is registered for `eventClass` (or, without an argument, for any class). */
  hasListeners(eventClass?: EventClass): boolean {
    return eventClass === undefined ? this.listeners.size > 0 : this.listeners.has(eventClass);
  }

  /** The listeners of `eventClass` in the order a dispatch calls them. */
  getListeners<E extends object>(eventClass: EventClass<E>): Listener<E>[] {
    return (this.listeners.get(eventClass) ?? []).map((registration) => registration.listener as Listener<E>);
  }

  /**
   * Calls the listeners of the event's class (see the class comment for order, propagation and
   * errors) and resolves with the same event, so callers can read what listeners set on it.
   */
  async dispatch<E extends object>(event: E): Promise<E> {
    const registrations = this.listeners.get(event.constructor as EventClass);
    if (registrations === undefined) return event;
    const stoppable = event instanceof StoppableEvent ? event : undefined;
    for (const { listener } of registrations) {
      if (stoppable?.isPropagationStopped) break;
      await (listener as Listener<E>)(event);
    }
    return event;
  }
}

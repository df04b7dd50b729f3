import { EventListenerError } from '../errors.js';
import type { EventClass } from './event-dispatcher.js';

/** A class that can carry `@AsEventListener` (its instances come from the container). */
export type ListenerClass = abstract new (...args: never[]) => object;

/** Options of {@link AsEventListener}, as in Symfony's `#[AsEventListener]` attribute. */
export interface AsEventListenerOptions<E extends object = object> {
  /** The event class to listen to. Only events of exactly this class reach the listener. */
  event: EventClass<E>;
  /**
   * Name of the method called with the event. Default: `on<EventClassName>` (e.g.
   * `onConnectEvent`) when the class has that method, else `handle`. Checked when the decorator
   * runs, so a typo fails at import time, not at the first event.
   */
  method?: string;
  /** Higher runs earlier among the event's listeners. Default 0. */
  priority?: number;
}

/** One `@AsEventListener` of a class, with the method name resolved. */
export interface EventListenerMetadata {
  readonly event: EventClass;
  readonly method: string;
  readonly priority: number;
}

// Keyed by the exact class: like PHP attributes, the decorator is not inherited by subclasses.
const metadataByClass = new WeakMap<ListenerClass, readonly EventListenerMetadata[]>();

/**
 * Class decorator declaring that instances of the class listen to an event. Repeatable: one class
 * may listen to several events, or to one event through several methods. Only metadata is stored;
 * `registerListeners` binds it to a dispatcher and the DI container supplies the instances.
 *
 * ```ts
 * @AsEventListener({ event: ConnectEvent, method: 'handleConnect' })
 * @AsEventListener({ event: RefreshEvent, method: 'handleRefresh', priority: 10 })
 * class ChatListener { handleConnect(event: ConnectEvent) {...} handleRefresh(event: RefreshEvent) {...} }
 * ```
 *
 * @throws EventListenerError when the method does not exist on the class or the options are invalid.
 */
export function AsEventListener<E extends object>(options: AsEventListenerOptions<E>): (target: ListenerClass) => void {
  return (target) => {
    const where = `@AsEventListener on ${target.name || 'an anonymous class'}`;
    if (typeof options?.event !== 'function') throw new EventListenerError(`${where}: "event" must be an event class, got ${typeof options?.event}`);
    const priority = options.priority ?? 0;
    if (!Number.isFinite(priority)) throw new EventListenerError(`${where}: "priority" must be a finite number, got ${String(options.priority)}`);
    const method = options.method ?? defaultMethod(target, options.event);
    if (typeof target.prototype[method] !== 'function') {
      const missing =
        options.method === undefined
          ? `neither an "on${options.event.name}" nor a "handle" method; name one with the "method" option`
          : `no method "${method}"`;
      throw new EventListenerError(`${where}: the class has ${missing} (listening to ${options.event.name})`);
    }
    // Legacy decorators run bottom-up; prepend so the metadata reads in source order, top-down.
    const entry: EventListenerMetadata = Object.freeze({ event: options.event as EventClass, method, priority });
    metadataByClass.set(target, Object.freeze([entry, ...(metadataByClass.get(target) ?? [])]));
  };
}

function defaultMethod(target: ListenerClass, event: EventClass): string {
  const conventional = `on${event.name}`;
  return typeof target.prototype[conventional] === 'function' ? conventional : 'handle';
}

/** The `@AsEventListener` declarations of exactly this class, in source order; empty when none. */
export function getEventListenerMetadata(listenerClass: ListenerClass): readonly EventListenerMetadata[] {
  return metadataByClass.get(listenerClass) ?? [];
}

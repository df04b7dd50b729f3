export { StoppableEvent } from './stoppable-event.js';
export type { EventClass, Listener } from './event-dispatcher.js';
export { EventDispatcher } from './event-dispatcher.js';
export type { AsEventListenerOptions, EventListenerMetadata, ListenerClass } from './as-event-listener.js';
export { AsEventListener, getEventListenerMetadata } from './as-event-listener.js';
export type { ListenerResolver } from './register-listeners.js';
export { registerListeners } from './register-listeners.js';
export { WorkerErrorEvent, WorkerStartEvent, WorkerStopEvent } from './lifecycle-events.js';

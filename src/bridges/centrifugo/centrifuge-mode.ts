import { causeChain } from '../../runtime/app/boot-failure.js';
import { currentScope, type Container, type RequestScope, type ServiceId } from '../../container/index.js';
import type { ModeContext, ModeFactory, ModeWorker } from '../../runtime/app/define-app.js';
import { scopedMode } from '../../runtime/app/scoped-mode.js';
import { EventDispatcher } from '../../runtime/events/event-dispatcher.js';
import type { ListenerClass } from '../../runtime/events/as-event-listener.js';
import { registerListeners } from '../../runtime/events/register-listeners.js';
import { FrameFlag } from '../../runtime/goridge/flags.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { CENTRIFUGO_EVENT } from './centrifugo-bindings.js';
import { centrifugoEventFrom } from './centrifugo-event-from.js';
import { answerCentrifugoUnavailable } from './answer-centrifugo-unavailable.js';
import { encodeCentrifugoReply, INTERNAL_ERROR_REPLY } from './encode-reply.js';
import { CentrifugoClientError, CentrifugoConfigError } from './errors.js';
import { InvalidEvent } from './events/invalid-event.js';
import { encodeProxyFailure } from './proto/proxy-v1.js';

/** Options of {@link centrifugeMode}. */
export interface CentrifugeModeOptions {
  /** The application's container: it holds the listener classes (and `centrifugoBindings()`). */
  container: Container;
  /**
   * Classes carrying `@AsEventListener` for the Centrifugo events. Each must be a service of
   * `container`; its instance is resolved at every dispatch from the event's scope, so a
   * request-scoped listener is new for each event and a singleton is shared.
   */
  listeners?: readonly ListenerClass[] | undefined;
  /**
   * The dispatcher events go through. Default: a new one. Pass yours to add plain-function
   * listeners (`addListener(ConnectEvent, fn, priority)`) or share it with other modes.
   */
  events?: EventDispatcher | undefined;
  /**
   * false boots the container (its singletons) and checks the listeners before the worker takes
   * its first request; true does it with the first request (the worker is ready sooner, the first
   * event is slower). Default: the runtime config's `centrifugo.lazy_boot` (itself `false`).
   */
  lazyBoot?: boolean | undefined;
}

/**
 * The `RR_MODE=centrifuge` worker: each proxy call from Centrifugo (through rr's centrifuge plugin)
 * becomes an event (`ConnectEvent`, `SubscribeEvent`, `PublishEvent`, `RPCEvent`, `RefreshEvent`,
 * `SubRefreshEvent`, or `InvalidEvent` for what cannot be read) dispatched to the listeners in its
 * own scope; the reply they set goes back to Centrifugo, and then the declared Resettable services
 * are reset and the scope is disposed.
 *
 * - No listener answered: the documented default (`DEFAULT_CENTRIFUGO_REPLIES`): connect refused
 *   with disconnect 3507, subscribe and publish refused with 103, RPC 104, refresh and sub-refresh
 *   expire, an unreadable request 107.
 * - A listener throws a `CentrifugoClientError`: the client gets its code and message.
 * - A listener throws anything else (or sets a result that cannot be sent): the client gets 100
 *   (internal server error, temporary); the error is logged (one line with the stack, never the
 *   payload) and reported (Sentry through `withSentry`, `WorkerErrorEvent`); the worker keeps serving.
 * - The container fails to boot: every call is answered 100 (temporary) with the cause logged once,
 *   instead of a crash loop.
 */
export function centrifugeMode(options: CentrifugeModeOptions): ModeFactory {
  return async (context) => {
    const { container } = options;
    const dispatcher = options.events ?? new EventDispatcher();
    const lazyBoot = options.lazyBoot ?? context.config.centrifugo.lazy_boot;
    const provideEvent = container.has(CENTRIFUGO_EVENT);
    // Listeners resolve from the scope of the call that made their event, without relying on
    // currentScope() (a container may turn asyncContext off); events dispatched elsewhere fall back to it.
    const scopeOfEvent = new WeakMap<object, RequestScope>();

    async function serve(unit: UnitOfWork, scope: RequestScope): Promise<void> {
      const event = centrifugoEventFrom(unit.context, unit.body);
      if (event instanceof InvalidEvent) context.log(`roadrunner-runtime: centrifugo: unreadable proxy request: ${event.decodeError.message}`);
      if (provideEvent) scope.provide(CENTRIFUGO_EVENT, event);
      scopeOfEvent.set(event, scope);
      let reply: Uint8Array;
      try {
        await dispatcher.dispatch(event);
        reply = encodeCentrifugoReply(event);
      } catch (error) {
        if (error instanceof CentrifugoClientError) {
          reply = encodeProxyFailure({ error: { code: error.replyCode, message: error.message, temporary: error.temporary } });
        } else {
          context.log(`roadrunner-runtime: centrifugo ${event.type} listener failed, answered ${INTERNAL_ERROR_REPLY.error.code} (internal server error): ${describe(error)}`);
          await context.reportError(error);
          reply = encodeProxyFailure({ error: INTERNAL_ERROR_REPLY.error });
        }
      }
      await unit.respond(reply);
    }

    // Booted once, by the factory or (lazy_boot) by the first request; a failure is remembered.
    let booted: { worker: ModeWorker } | { failed: unknown } | undefined;
    const boot = async (): Promise<{ worker: ModeWorker } | { failed: unknown }> => {
      try {
        for (const listener of options.listeners ?? []) {
          if (!container.has(listener)) {
            throw new CentrifugoConfigError(`centrifugeMode: listener ${listener.name || '(anonymous class)'} is not a service of the container: add it to createContainer({ services: [...] })`);
          }
        }
        const worker = scopedMode(context, { container, handle: serve });
        registerListeners(dispatcher, options.listeners ?? [], (listenerClass, event) =>
          (scopeOfEvent.get(event) ?? currentScope()).get(listenerClass as ServiceId<object>),
        );
        return { worker };
      } catch (error) {
        await context.reportError(error);
        await context.logError(
          `roadrunner-runtime: the centrifuge worker failed to boot and answers every call with ${INTERNAL_ERROR_REPLY.error.code} (internal server error) until it is replaced: ${causeChain(error)}`,
        );
        return { failed: error };
      }
    };
    if (!lazyBoot) booted = await boot();

    return {
      container,
      async handle(unit) {
        unit.codec = FrameFlag.CODEC_PROTO;
        booted ??= await boot();
        if ('failed' in booted) return answerCentrifugoUnavailable(unit);
        return booted.worker.handle(unit);
      },
      async afterUnit(unit) {
        if (booted && 'worker' in booted) return booted.worker.afterUnit?.(unit);
      },
      async shutdown() {
        if (booted && 'worker' in booted) await booted.worker.shutdown?.();
        else await container.dispose();
      },
    };
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

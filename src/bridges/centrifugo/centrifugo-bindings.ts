import { createToken, type Binding, type ScopeValueBinding, type Token } from '../../container/index.js';
import type { RpcClient } from '../../runtime/rpc/rpc-client.js';
import { CentrifugoApi } from './centrifugo-api.js';
import type { AnyCentrifugoEvent } from './centrifugo-event-from.js';

/** The event being dispatched, in its unit's scope: request-scoped services inject it (the user, the channel). */
export const CENTRIFUGO_EVENT: Token<AnyCentrifugoEvent> = createToken<AnyCentrifugoEvent>('centrifugo.event');

/** Declares {@link CENTRIFUGO_EVENT} as a value each Centrifugo unit's scope supplies. */
export const centrifugoEventBinding: ScopeValueBinding<AnyCentrifugoEvent> = { id: CENTRIFUGO_EVENT, fromScope: true };

/** Options of {@link centrifugoBindings}. */
export interface CentrifugoBindingsOptions {
  /** An RPC client shared with other code (never closed by the container). Default: the API's own, closed with the container. */
  rpc?: RpcClient | undefined;
  /** rr's `rpc.listen` for the API's own client. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string | undefined;
  /** Per-call limit of the API's own client, in ms. */
  timeoutMs?: number | undefined;
}

/**
 * Container bindings of the Centrifugo bridge: the {@link CentrifugoApi} singleton (inject it with
 * `@Inject(CentrifugoApi)` in HTTP controllers, job handlers and listeners) and
 * {@link centrifugoEventBinding}. No I/O: the API dials rr at its first call.
 */
export function centrifugoBindings(options: CentrifugoBindingsOptions = {}): Binding[] {
  return [
    { id: CentrifugoApi, useFactory: () => new CentrifugoApi({ rpc: options.rpc, address: options.address, timeoutMs: options.timeoutMs }) },
    centrifugoEventBinding,
  ];
}

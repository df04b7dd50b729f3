import type { RpcRequestMessage } from '../proto/proxy-v1.js';
import { ConnectedDataEvent } from './connected-event.js';

/** What an RPC listener answers. */
export interface RPCResult {
  /** The RPC's answer (JSON, or bytes); the client's `rpc()` resolves with `{ data }`. */
  data?: unknown;
}

/**
 * A client calls `rpc(method, data)` and the RPC proxy is on. Answer with `respond({ data })`;
 * with no answer the call fails with 104 (method not found). `data` holds the call's parameters.
 */
export class RPCEvent extends ConnectedDataEvent<RpcRequestMessage, RPCResult> {
  readonly type = 'rpc' as const;

  /** The RPC method the client called. */
  get method(): string {
    return this.request.method;
  }
}

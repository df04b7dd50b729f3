import { RpcClient } from './rpc-client.js';

/** The options of a client class (KV, jobs, Centrifugo API) that talks to rr over RPC. */
export interface SharedRpcClientOptions {
  /** An RPC client to share (the caller closes it). Default: one of its own, closed with the client. */
  rpc?: RpcClient | undefined;
  /** rr's RPC address for a client of its own. Default `RR_RPC`, else `tcp://127.0.0.1:6001`. */
  address?: string | undefined;
  /** Per-call timeout of a client of its own, in milliseconds. */
  timeoutMs?: number | undefined;
}

/**
 * The RPC client a bridge client calls through: the one it was given, which it must not close, or
 * one of its own (`owned`), which it closes when it is disposed.
 */
export function sharedRpcClient(options: SharedRpcClientOptions): { rpc: RpcClient; owned: boolean } {
  if (options.rpc !== undefined) return { rpc: options.rpc, owned: false };
  return {
    rpc: new RpcClient({
      ...(options.address === undefined ? {} : { address: options.address }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }),
    owned: true,
  };
}

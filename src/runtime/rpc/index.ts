export { RpcClient, DEFAULT_RPC_ADDRESS } from './rpc-client.js';
export type { RpcCallOptions, RpcClientOptions } from './rpc-client.js';
export { sharedRpcClient, type SharedRpcClientOptions } from './shared-rpc-client.js';
export { RpcCodec } from './rpc-codec.js';
export { parseRpcResponse, rpcRequestFrame } from './rpc-frame.js';
export type { RpcResponse } from './rpc-frame.js';

import type { z } from 'zod';
import type { RpcRequestMessage } from '../proto/proxy-v1.js';
import { CentrifugoEvent, parseWithSchema, type CentrifugoMetadata } from './centrifugo-event.js';

/** What an RPC listener answers. */
export interface RPCResult {
  /** The RPC's answer (JSON, or bytes); the client's `rpc()` resolves with `{ data }`. */
  data?: unknown;
}

/**
 * A client calls `rpc(method, data)` and the RPC proxy is on. Answer with `respond({ data })`;
 * with no answer the call fails with 104 (method not found).
 */
export class RPCEvent extends CentrifugoEvent<RpcRequestMessage, RPCResult> {
  readonly type = 'rpc' as const;
  /** The call's parameters: JSON decoded (bytes under `binary_encoding`), `undefined` when none. */
  readonly data: unknown;
  readonly rawData: Uint8Array;
  /** The connection meta set at connect (JSON decoded). */
  readonly meta: unknown;

  constructor(request: RpcRequestMessage, metadata: CentrifugoMetadata, payload: { data: unknown; rawData: Uint8Array; meta: unknown }) {
    super(request, metadata);
    this.data = payload.data;
    this.rawData = payload.rawData;
    this.meta = payload.meta;
  }

  get user(): string {
    return this.request.user;
  }

  /** The RPC method the client called. */
  get method(): string {
    return this.request.method;
  }

  /** The parameters validated by a zod schema; refused data answers 107 (bad request). */
  parseData<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.data, 'data');
  }

  parseMeta<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.meta, 'meta');
  }
}

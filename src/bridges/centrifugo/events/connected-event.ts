import type { z } from 'zod';
import type { ProxyRequestBase } from '../proto/proxy-v1.js';
import { CentrifugoEvent, parseWithSchema, type CentrifugoMetadata } from './centrifugo-event.js';

/**
 * Base of the events of an established connection (every event but connect): the connection's
 * user and the meta its connect result set.
 */
export abstract class ConnectedEvent<Request extends ProxyRequestBase & { user: string }, Result> extends CentrifugoEvent<Request, Result> {
  /** The connection meta set at connect (JSON decoded), `undefined` when none or not forwarded (`include_connection_meta`). */
  readonly meta: unknown;

  constructor(request: Request, metadata: CentrifugoMetadata, payload: { meta: unknown }) {
    super(request, metadata);
    this.meta = payload.meta;
  }

  /** The connection's user id (`''` for an anonymous connection). */
  get user(): string {
    return this.request.user;
  }

  /** The connection meta validated by a zod schema; refused meta answers 107 (bad request). */
  parseMeta<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.meta, 'meta');
  }
}

/** Base of the connection's events that carry client data: subscribe, publish, RPC. */
export abstract class ConnectedDataEvent<Request extends ProxyRequestBase & { user: string }, Result> extends ConnectedEvent<Request, Result> {
  /** What the client sent: JSON decoded (bytes under `binary_encoding`), `undefined` when nothing. */
  readonly data: unknown;
  /** What the client sent, as bytes. */
  readonly rawData: Uint8Array;

  constructor(request: Request, metadata: CentrifugoMetadata, payload: { data: unknown; rawData: Uint8Array; meta: unknown }) {
    super(request, metadata, payload);
    this.data = payload.data;
    this.rawData = payload.rawData;
  }

  /** The client's data validated by a zod schema; refused data answers 107 (bad request). */
  parseData<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.data, 'data');
  }
}

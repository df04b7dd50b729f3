import type { z } from 'zod';
import type { SubscribeRequestMessage } from '../proto/proxy-v1.js';
import { CentrifugoEvent, parseWithSchema, type CentrifugoMetadata } from './centrifugo-event.js';
import type { SubscribeOptionOverride } from './result-options.js';

/** What a subscribe listener answers to let the client in. */
export interface SubscribeResult {
  /** Unix time (seconds) when the subscription expires; needs the sub-refresh proxy. */
  expireAt?: number | undefined;
  /** Channel info other subscribers see in presence and join/leave. JSON, or bytes. */
  info?: unknown;
  /** Data the client receives with its subscribe reply. JSON, or bytes. */
  data?: unknown;
  override?: SubscribeOptionOverride | undefined;
  /** Channel capabilities within the subscription, e.g. `['pub']` to let the client publish. */
  allow?: readonly string[] | undefined;
}

/**
 * A client subscribes to a channel whose namespace has the subscribe proxy on. Let it in with
 * `respond({})` (or with options); with no answer it is refused with 103 (permission denied).
 */
export class SubscribeEvent extends CentrifugoEvent<SubscribeRequestMessage, SubscribeResult> {
  readonly type = 'subscribe' as const;
  /** The subscription data the client sent: JSON decoded (bytes under `binary_encoding`), `undefined` when none. */
  readonly data: unknown;
  readonly rawData: Uint8Array;
  /** The connection meta set at connect (JSON decoded). */
  readonly meta: unknown;

  constructor(request: SubscribeRequestMessage, metadata: CentrifugoMetadata, payload: { data: unknown; rawData: Uint8Array; meta: unknown }) {
    super(request, metadata);
    this.data = payload.data;
    this.rawData = payload.rawData;
    this.meta = payload.meta;
  }

  get user(): string {
    return this.request.user;
  }

  get channel(): string {
    return this.request.channel;
  }

  /** The subscription token the client sent, if any. */
  get token(): string {
    return this.request.token;
  }

  /** The subscription data validated by a zod schema; refused data answers 107 (bad request). */
  parseData<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.data, 'data');
  }

  parseMeta<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.meta, 'meta');
  }
}

import type { z } from 'zod';
import type { PublishRequestMessage } from '../proto/proxy-v1.js';
import { CentrifugoEvent, parseWithSchema, type CentrifugoMetadata } from './centrifugo-event.js';

/** What a publish listener answers to let the publication through. */
export interface PublishResult {
  /** Replaces the published data (JSON, or bytes); absent publishes the client's data unchanged. */
  data?: unknown;
  /** Keep this publication out of the channel history. */
  skipHistory?: boolean | undefined;
}

/**
 * A client publishes into a channel whose namespace has the publish proxy on. Let it through with
 * `respond({})`, or rewrite it with `respond({ data })`; with no answer it is refused with 103
 * (permission denied).
 */
export class PublishEvent extends CentrifugoEvent<PublishRequestMessage, PublishResult> {
  readonly type = 'publish' as const;
  /** What the client publishes: JSON decoded (bytes under `binary_encoding`). */
  readonly data: unknown;
  readonly rawData: Uint8Array;
  /** The connection meta set at connect (JSON decoded). */
  readonly meta: unknown;

  constructor(request: PublishRequestMessage, metadata: CentrifugoMetadata, payload: { data: unknown; rawData: Uint8Array; meta: unknown }) {
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

  /** The publication validated by a zod schema; refused data answers 107 (bad request). */
  parseData<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.data, 'data');
  }

  parseMeta<T>(schema: z.ZodType<T>): T {
    return parseWithSchema(schema, this.meta, 'meta');
  }
}

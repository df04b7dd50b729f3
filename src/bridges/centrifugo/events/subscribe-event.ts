import type { SubscribeRequestMessage } from '../proto/proxy-v1.js';
import { ConnectedDataEvent } from './connected-event.js';
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
 * `data` is the subscription data the client sent.
 */
export class SubscribeEvent extends ConnectedDataEvent<SubscribeRequestMessage, SubscribeResult> {
  readonly type = 'subscribe' as const;

  get channel(): string {
    return this.request.channel;
  }

  /** The subscription token the client sent, if any. */
  get token(): string {
    return this.request.token;
  }
}

import type { SubRefreshRequestMessage } from '../proto/proxy-v1.js';
import { ConnectedEvent } from './connected-event.js';

/** What a sub-refresh listener answers: extend the subscription, or let it expire. */
export interface SubRefreshResult {
  /** `true` ends the subscription (the client is unsubscribed). */
  expired?: boolean | undefined;
  /** New unix time (seconds) when the subscription expires. */
  expireAt?: number | undefined;
  /** New channel info. JSON, or bytes. */
  info?: unknown;
}

/**
 * A subscription whose `expireAt` passed asks to be extended (the sub-refresh proxy; rr names the
 * call `subrefresh`). Answer with `respond({ expireAt })`; with no answer it expires. As for
 * refresh, Centrifugo v6 reads only the result: an error or disconnect reply also ends it.
 */
export class SubRefreshEvent extends ConnectedEvent<SubRefreshRequestMessage, SubRefreshResult> {
  readonly type = 'sub_refresh' as const;

  get channel(): string {
    return this.request.channel;
  }
}

import type { RefreshRequestMessage } from '../proto/proxy-v1.js';
import { ConnectedEvent } from './connected-event.js';
import type { ChannelsCapability } from './result-options.js';

/** What a refresh listener answers: extend the connection, or let it expire. */
export interface RefreshResult {
  /** `true` ends the connection (the client is disconnected as expired). */
  expired?: boolean | undefined;
  /** New unix time (seconds) when the connection expires. */
  expireAt?: number | undefined;
  /** New connection info. JSON, or bytes. */
  info?: unknown;
  /** New connection meta (a JSON object). */
  meta?: unknown;
  caps?: readonly ChannelsCapability[] | undefined;
}

/**
 * A connection whose `expireAt` passed asks to be extended (the refresh proxy). Answer with
 * `respond({ expireAt })`; with no answer it expires. Centrifugo v6 reads only the result of a
 * refresh reply: an error or disconnect reply also makes the connection expire.
 */
export class RefreshEvent extends ConnectedEvent<RefreshRequestMessage, RefreshResult> {
  readonly type = 'refresh' as const;
}

import type { PublishRequestMessage } from '../proto/proxy-v1.js';
import { ConnectedDataEvent } from './connected-event.js';

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
 * (permission denied). `data` is the publication.
 */
export class PublishEvent extends ConnectedDataEvent<PublishRequestMessage, PublishResult> {
  readonly type = 'publish' as const;

  get channel(): string {
    return this.request.channel;
  }
}

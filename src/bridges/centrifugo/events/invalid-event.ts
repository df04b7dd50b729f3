import type { CentrifugoDecodeError } from '../errors.js';
import { CentrifugoReplyEvent, type CentrifugoMetadata } from './centrifugo-event.js';

/**
 * A proxy request the bridge could not read: rr's context is not JSON or names no known `type`,
 * the protobuf body is malformed, or a payload that must be JSON is not. Listeners may log it and
 * answer with `error()` or `disconnect()`; with no answer the call fails with 107 (bad request).
 * There is no result to give: what was asked is unknown.
 */
export class InvalidEvent extends CentrifugoReplyEvent<never> {
  readonly type = 'invalid' as const;
  /** Why the request could not be read. */
  readonly decodeError: CentrifugoDecodeError;
  /** rr's request type when the context named one (`connect`, `notifychannelstate`...). */
  readonly requestType: string | undefined;

  constructor(decodeError: CentrifugoDecodeError, metadata: CentrifugoMetadata) {
    super(metadata);
    this.decodeError = decodeError;
    this.requestType = decodeError.requestType;
  }
}

import { FrameFlag } from '../../runtime/goridge/flags.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { INTERNAL_ERROR_REPLY } from './encode-reply.js';
import { encodeProxyFailure } from './proto/proxy-v1.js';

/**
 * The Centrifugo answer of a worker that failed to boot: Centrifugo's own temporary internal error
 * (100) for every proxy call, so clients retry with backoff; the cause was logged once.
 */
export function answerCentrifugoUnavailable(unit: UnitOfWork): Promise<void> {
  unit.codec = FrameFlag.CODEC_PROTO;
  return unit.respond(encodeProxyFailure({ error: INTERNAL_ERROR_REPLY.error }));
}

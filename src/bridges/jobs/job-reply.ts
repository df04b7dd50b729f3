import type { JobHeaders } from './proto/jobs-v1.js';

/**
 * What the worker tells rr about a task, in the body of its reply (rr's jobs `protocol` package):
 *
 *   ack     {"type":2,"data":{}}                                                 Ack()
 *   nack    {"type":3,"data":{"message":m,"requeue":bool,"delay_seconds":n}}     NackWithOptions(requeue, n)
 *   requeue {"type":4,"data":{"message":m,"delay_seconds":n,"headers":{...}}}    Requeue(headers, n)
 *
 * rr acks any reply it cannot read (an empty body, bad JSON, `data` missing, a fractional delay
 * that Go's `int` refuses), so every reply is built here and only here: `data` is always an object
 * and `delay_seconds` always a whole number.
 */
export type JobReply =
  | { readonly type: 'ack' }
  | { readonly type: 'nack'; readonly message: string; readonly requeue: boolean; readonly delaySeconds: number }
  | { readonly type: 'requeue'; readonly message: string; readonly delaySeconds: number; readonly headers: Readonly<JobHeaders> };

/** rr's reply type codes (`protocol.Type`). */
export const JobReplyType = { ack: 2, nack: 3, requeue: 4 } as const;

const ACK = Buffer.from('{"type":2,"data":{}}');
/** Go's `int` is 64-bit, but a delay longer than this (68 years) is a bug, not a plan. */
const MAX_DELAY_SECONDS = 2 ** 31 - 1;

/** Whole seconds rr can take: fractions rounded up (never earlier than asked), clamped to `[0, 2^31-1]`. */
export function wholeSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(Math.ceil(seconds), MAX_DELAY_SECONDS);
}

/** The reply body for `reply`. Always well-formed JSON rr reads as intended. */
export function encodeJobReply(reply: JobReply): Buffer {
  switch (reply.type) {
    case 'ack':
      return ACK;
    case 'nack':
      return Buffer.from(
        JSON.stringify({ type: JobReplyType.nack, data: { message: reply.message, requeue: reply.requeue, delay_seconds: wholeSeconds(reply.delaySeconds) } }),
      );
    case 'requeue':
      return Buffer.from(
        JSON.stringify({ type: JobReplyType.requeue, data: { message: reply.message, delay_seconds: wholeSeconds(reply.delaySeconds), headers: reply.headers } }),
      );
  }
}

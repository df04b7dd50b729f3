/**
 * Centrifugo's own error and disconnect codes (centrifugal/centrifuge `errors.go` and
 * `disconnect.go`), for the replies the bridge sends and for listeners that answer with them.
 * Applications may use their own codes too: errors 400-1999, disconnects 4000-4499 (the client
 * reconnects) and 4500-4999 (it does not).
 */

/** Error codes a reply's `error` carries; the client sees them on the failed call. */
export const CentrifugoErrorCode = {
  /** Something failed on the server. Sent (temporary) when a listener throws. */
  internal: 100,
  unauthorized: 101,
  unknownChannel: 102,
  /** Sent for a subscribe or publish no listener answered. */
  permissionDenied: 103,
  /** Sent for an RPC no listener answered. */
  methodNotFound: 104,
  alreadySubscribed: 105,
  limitExceeded: 106,
  /** Sent for a request the bridge could not decode (`InvalidEvent`), or data a listener's schema refused. */
  badRequest: 107,
  notAvailable: 108,
  tokenExpired: 109,
  expired: 110,
  tooManyRequests: 111,
  unrecoverablePosition: 112,
} as const;

/** Disconnect codes a reply's `disconnect` carries: the client connection is closed with it. */
export const CentrifugoDisconnectCode = {
  /** The client reconnects. */
  serverError: 3004,
  /** The client reconnects. */
  forceReconnect: 3011,
  /** Terminal. */
  invalidToken: 3500,
  /** Terminal. */
  badRequest: 3501,
  /** Terminal. */
  forceNoReconnect: 3503,
  /** Terminal. Sent for a connect no listener answered. */
  permissionDenied: 3507,
} as const;

/**
 * Option types shared by several results. JSON values (`info`, `data`, `meta`) are sent as their
 * JSON; a `Uint8Array` is sent as it is (binary payloads).
 */

/** Per-subscription overrides of the channel namespace's options; unset ones keep the namespace's. */
export interface SubscribeOptionOverride {
  presence?: boolean | undefined;
  joinLeave?: boolean | undefined;
  forceRecovery?: boolean | undefined;
  forcePositioning?: boolean | undefined;
  forcePushJoinLeave?: boolean | undefined;
}

/** Channel permissions granted to a connection (Centrifugo's `caps`). */
export interface ChannelsCapability {
  /** Channels (or patterns, with `match`) the capability applies to. */
  channels?: readonly string[] | undefined;
  /** What is allowed: `sub`, `pub`, `prs` (presence), `hst` (history), `hst_prs`... */
  allow?: readonly string[] | undefined;
  /** How `channels` match: `""` exact, `wildcard`, `regex`. */
  match?: string | undefined;
}

/** A server-side subscription made at connect (`ConnectResult.subs`). */
export interface SubscribeOptions {
  /** Unix time (seconds) when the subscription expires; needs the sub-refresh proxy. */
  expireAt?: number | undefined;
  /** Channel info other subscribers see in presence and join/leave. JSON, or bytes. */
  info?: unknown;
  /** Data the client receives with the subscription. JSON, or bytes. */
  data?: unknown;
  override?: SubscribeOptionOverride | undefined;
}

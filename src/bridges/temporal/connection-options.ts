import type { TemporalConnectionSettings, TemporalTls } from './temporal-settings.js';

/** What both SDK connections (the client's `Connection`, the worker's `NativeConnection`) take. */
export interface SdkConnectionOptions {
  address: string;
  tls?: TemporalTls | boolean;
  apiKey?: string;
}

/** The SDK connection options for the configured server; `tls` and `apiKey` only when set. */
export function connectionOptions(connection: TemporalConnectionSettings): SdkConnectionOptions {
  const options: SdkConnectionOptions = { address: connection.address };
  if (connection.tls !== undefined) options.tls = connection.tls;
  if (connection.apiKey !== undefined) options.apiKey = connection.apiKey;
  return options;
}

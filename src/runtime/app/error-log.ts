import { RpcClient } from '../rpc/rpc-client.js';

/** How long an error line may wait for rr's app logger before it goes to stderr instead. */
const APP_LOGGER_TIMEOUT_MS = 2_000;

/**
 * Returns a function writing one error-level line to rr's log. rr logs everything a worker writes
 * to stderr at INFO, so a boot failure or a crash would hide among ordinary output: when the worker
 * knows rr's RPC address (`RR_RPC`), the line goes through rr's app-logger plugin (`app.Error`),
 * which logs it at ERROR under the `app` logger. Without RPC, or when that call fails, the line is
 * written to stderr (`fallback`), so it is never lost.
 */
export function createErrorLog(env: NodeJS.ProcessEnv, fallback: (line: string) => void): (line: string) => Promise<void> {
  return async (line) => {
    const address = env['RR_RPC'];
    if (address === undefined || address === '') return fallback(line);
    const rpc = new RpcClient({ address, timeoutMs: APP_LOGGER_TIMEOUT_MS });
    try {
      await rpc.call('app.Error', line);
    } catch {
      fallback(line);
    } finally {
      await rpc.close().catch(() => {});
    }
  };
}

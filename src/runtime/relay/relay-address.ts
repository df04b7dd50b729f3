import { isAbsolute, resolve } from 'node:path';
import { RelayError } from '../errors.js';

/** A parsed `RR_RELAY` / `RR_RPC` value. */
export type RelayAddress =
  | { kind: 'pipes' }
  | { kind: 'tcp'; host: string; port: number }
  /** `path` is absolute; `given` is the path as written (relative paths are rr's cwd-relative). */
  | { kind: 'unix'; path: string; given: string };

/** A socket address: what `tcp://` and `unix://` parse to. */
export type SocketAddress = Exclude<RelayAddress, { kind: 'pipes' }>;

// PHP's Relay::CONNECTION_EXP, anchored so trailing garbage is reported instead of ignored.
const CONNECTION = /^(?<protocol>[^:/]+):\/\/(?<arg1>[^:]+)(?::(?<arg2>[^:]+))?$/;

/**
 * Parses a relay spec the way PHP's `Relay::create` does: `pipes`, `tcp://host:port`,
 * `unix://path` (protocol case-insensitive). A relative unix path is resolved against `cwd`: rr
 * resolves it against its own cwd, which its workers inherit. Anything else throws a
 * {@link RelayError} naming the value.
 */
export function parseRelayAddress(spec: string, cwd: string = process.cwd()): RelayAddress {
  if (spec === 'pipes') return { kind: 'pipes' };
  const match = CONNECTION.exec(spec);
  const protocol = match?.groups?.['protocol']?.toLowerCase();
  const arg1 = match?.groups?.['arg1'];
  const arg2 = match?.groups?.['arg2'];
  if (!match || arg1 === undefined) {
    throw new RelayError(`unsupported relay ${JSON.stringify(spec)}: expected "pipes", "tcp://host:port" or "unix://path"`);
  }
  if (protocol === 'tcp') {
    if (arg2 === undefined) throw new RelayError(`relay ${JSON.stringify(spec)} has no port: expected tcp://host:port`);
    const port = /^\d+$/.test(arg2) ? Number(arg2) : Number.NaN;
    if (!(port >= 1 && port <= 65535)) {
      throw new RelayError(`relay ${JSON.stringify(spec)} has an invalid port ${JSON.stringify(arg2)}: expected 1-65535`);
    }
    return { kind: 'tcp', host: arg1, port };
  }
  if (protocol === 'unix') {
    if (arg2 !== undefined) throw new RelayError(`relay ${JSON.stringify(spec)}: a unix socket path cannot contain ":"`);
    return { kind: 'unix', path: isAbsolute(arg1) ? arg1 : resolve(cwd, arg1), given: arg1 };
  }
  throw new RelayError(`unsupported relay protocol ${JSON.stringify(match.groups?.['protocol'])} in ${JSON.stringify(spec)}: expected "pipes", "tcp://host:port" or "unix://path"`);
}

/** The address as a spec again (unix paths absolute), for messages. */
export function formatRelayAddress(address: RelayAddress): string {
  switch (address.kind) {
    case 'pipes':
      return 'pipes';
    case 'tcp':
      return `tcp://${address.host}:${address.port}`;
    case 'unix':
      return `unix://${address.path}`;
  }
}

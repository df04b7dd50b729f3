import { resolve } from 'node:path';
import { ProtocolError } from '../../runtime/errors.js';
import type { EnvSource } from '../../runtime/config/expand-env.js';
import { loadRrConfig } from '../../runtime/config/load-rr-config.js';
import { displayPath } from '../../runtime/config/load-runtime-config.js';
import { parseRrConfig, type RrConfig, type RrKvStorage } from '../../runtime/config/rr-config.js';
import { isMapping } from '../../runtime/config/schema-parts.js';
import type { RuntimeConfig } from '../../runtime/config/runtime-config.js';
import { DEFAULT_RPC_ADDRESS, RpcClient } from '../../runtime/rpc/rpc-client.js';
import { KvDiscoveryError } from './errors.js';

/** Options of {@link discoverKvStorages}. */
export interface DiscoverKvStoragesOptions {
  /**
   * The runtime config (`loadRuntimeConfig()`): `kv.auto_register: false` short-cuts to an empty
   * list without any I/O, and `rr_config_path` names the fallback file. Default: auto-register on,
   * file `.rr.yaml`.
   */
  runtimeConfig?: { rr_config_path?: string; kv?: Partial<Pick<RuntimeConfig['kv'], 'auto_register'>> };
  /** Directory `rr_config_path` is relative to. Default `process.cwd()`. */
  projectDir?: string;
  /**
   * The RPC client to ask rr with (left open). Default: a client of its own, closed afterwards, on
   * `address`.
   */
  rpc?: RpcClient;
  /**
   * rr's RPC address when no `rpc` is given. Default `RR_RPC` (set by rr for its workers), else the
   * fallback file's `rpc.listen`, else `tcp://127.0.0.1:6001`.
   */
  address?: string;
  /**
   * How long to wait for rr, connecting included, before falling back to the file, in ms. Default
   * 1000: rr answers `rpc.Config` from memory, and a build without rr must not hang.
   */
  timeoutMs?: number;
  /** Variables for `${VAR}` expansion in the file, and `RR_RPC`. Default `process.env`. */
  env?: EnvSource;
}

/** Where {@link discoverKvStorages} found the storages. */
export type KvStorageSource = 'rr' | 'file' | 'disabled';

/** The result of {@link discoverKvStorages}; pass it to `kvBindings({ storages })`. */
export interface KvStorageDiscovery {
  /** Every storage under `kv:`, names lower-cased as rr uses them. Empty when `source` is `disabled`. */
  storages: RrKvStorage[];
  /**
   * `rr`: the running rr answered `rpc.Config`; `file`: rr did not answer and the file was read;
   * `disabled`: `kv.auto_register` is false and nothing was looked up.
   */
  source: KvStorageSource;
  /** The rr address asked, or the file read (as the user would write it); `''` when disabled. */
  from: string;
  /** The rr RPC address storages should be called on (`RR_RPC`, else the config's `rpc.listen`, else rr's default). */
  rpcAddress: string;
  /** Why rr was not used, when `source` is `file`. */
  rrFailure?: unknown;
}

/**
 * Finds the KV storages the application can use, the way the Symfony bundle does: ask the running
 * rr for its whole config (`rpc.Config` with the raw codec returns it as JSON), and when rr does not
 * answer within `timeoutMs` (an image build, a CLI command), read the rr config file at
 * `rr_config_path` instead. Async because both are I/O; registration itself is synchronous:
 *
 * ```ts
 * const runtimeConfig = await loadRuntimeConfig();
 * const kv = await discoverKvStorages({ runtimeConfig });
 * const container = createContainer({ bindings: [...kvBindings({ runtimeConfig, storages: kv })] });
 * ```
 *
 * @throws KvDiscoveryError when neither rr nor the file gave a list: it says why for both.
 */
export async function discoverKvStorages(options: DiscoverKvStoragesOptions = {}): Promise<KvStorageDiscovery> {
  const env = options.env ?? process.env;
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const file = resolve(projectDir, options.runtimeConfig?.rr_config_path ?? '.rr.yaml');
  const fileLabel = displayPath(projectDir, file);
  const configuredAddress = options.rpc?.address ?? options.address ?? (env['RR_RPC'] || undefined); // an empty RR_RPC is no address

  if (options.runtimeConfig?.kv?.auto_register === false) {
    return { storages: [], source: 'disabled', from: '', rpcAddress: configuredAddress ?? DEFAULT_RPC_ADDRESS };
  }

  // Read up front when we do not know where rr listens: the file's rpc.listen is the address to try.
  // Its failure only matters if rr does not answer either.
  let fileResult: Promise<RrConfig> | undefined;
  const readFile = () => (fileResult ??= loadRrConfig({ file, projectDir, env }));
  let address = configuredAddress;
  if (address === undefined) {
    address = (await readFile().catch(() => undefined))?.rpcAddress() ?? DEFAULT_RPC_ADDRESS;
  }

  let rrFailure: unknown;
  try {
    const storages = await askRr(options.rpc, address, options.timeoutMs ?? 1000);
    return { storages, source: 'rr', from: address, rpcAddress: address };
  } catch (error) {
    rrFailure = error;
  }

  try {
    const config = await readFile();
    return {
      storages: config.kvStorages(),
      source: 'file',
      from: fileLabel,
      rpcAddress: configuredAddress ?? config.rpcAddress() ?? DEFAULT_RPC_ADDRESS,
      rrFailure,
    };
  } catch (fileFailure) {
    throw new KvDiscoveryError({ address, rrFailure, file, fileLabel, fileFailure });
  }
}

/** `rpc.Config` on the running rr, parsed and validated like the file would be. */
async function askRr(shared: RpcClient | undefined, address: string, timeoutMs: number): Promise<RrKvStorage[]> {
  const rpc = shared ?? new RpcClient({ address, timeoutMs, connectTimeoutMs: timeoutMs });
  try {
    const bytes = await rpc.callRaw('rpc.Config', undefined, { timeoutMs });
    const config = configJson(bytes, address);
    // No kv section, no storages: rr accepted its running config already, and validating the rest
    // would load zod into every worker at boot for nothing (npm run bench:boot).
    if (isMapping(config) && !Object.keys(config).some((key) => key.toLowerCase() === 'kv')) return [];
    return parseRrConfig(config, { label: `rr's running config (rpc.Config at ${address})` }).kvStorages();
  } finally {
    if (shared === undefined) await rpc.close();
  }
}

/**
 * rr's `rpc.Config` returns `[]byte`: the raw codec gives the JSON itself. A JSON string is also
 * accepted and base64-decoded, which is what the JSON codec (used by PHP) would produce.
 */
function configJson(bytes: Uint8Array, address: string): unknown {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ProtocolError(`rr at ${address} answered rpc.Config with something that is not JSON: ${JSON.stringify(text.slice(0, 120))}`, { cause: error });
    }
  };
  const value = parse(Buffer.from(bytes).toString('utf8'));
  return typeof value === 'string' ? parse(Buffer.from(value, 'base64').toString('utf8')) : value;
}

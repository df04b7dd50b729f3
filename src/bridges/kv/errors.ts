/**
 * Every error the KV bridge throws on purpose. `instanceof KvError` catches all of them, whatever
 * failed: rr's answer, the connection, a TTL, the storage discovery.
 */
import { RuntimeError } from '../../runtime/errors.js';

/** Where a KV error happened, when it is known. */
export interface KvErrorDetails {
  /** The rr RPC method, e.g. `kv.Set`. */
  method?: string | undefined;
  /** The rr storage name, e.g. `local`. */
  storage?: string | undefined;
  cause?: unknown;
}

/**
 * Base class of the KV bridge's errors, and the error for an rr KV call that rr answered with an
 * error other than an unknown storage (an empty key, a driver failure such as Redis being down).
 * `method` and `storage` say which call failed.
 */
export class KvError extends RuntimeError {
  /** The rr RPC method that failed (`kv.MGet`...), when the error comes from a call. */
  readonly method: string | undefined;
  /** The storage the call was for, when known. */
  readonly storage: string | undefined;

  constructor(code: string, message: string, details: KvErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.method = details.method;
    this.storage = details.storage;
  }
}

/**
 * rr has no KV storage by that name (`no such storage: NAME`): it is not declared under `kv:` in
 * the `.rr.yaml` rr runs with. Remember rr lower-cases storage names.
 */
export class KvStorageNotFoundError extends KvError {
  declare readonly storage: string;

  constructor(storage: string, method: string) {
    super('ERR_KV_STORAGE_NOT_FOUND', `rr has no KV storage "${storage}" (${method}): declare it under kv: in .rr.yaml (rr lower-cases storage names)`, {
      method,
      storage,
    });
  }
}

/**
 * rr could not be asked: the RPC connection failed, broke or timed out. The cause is the RPC
 * client's error (`RpcConnectionError`, `RpcTimeoutError`).
 */
export class KvConnectionError extends KvError {
  constructor(method: string, storage: string | undefined, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ERR_KV_CONNECTION', `rr ${method}${storage === undefined ? '' : ` on storage "${storage}"`} could not reach rr: ${detail}`, {
      method,
      storage,
      cause,
    });
  }
}

/**
 * A TTL rr cannot be given: not a number or Date, NaN, or (for the low-level client) already
 * expired. rr stores an item whose timeout is in the past *without* expiry, so an expired TTL is
 * refused instead of silently becoming "forever"; the cache adapter deletes the key instead.
 */
export class KvTtlError extends KvError {
  constructor(problem: string, details: KvErrorDetails = {}) {
    super('ERR_KV_TTL', `invalid KV TTL: ${problem}`, details);
  }
}

/** A key rr would refuse (empty or only whitespace), caught before the call. */
export class KvKeyError extends KvError {
  /** The offending key. */
  readonly key: string;

  constructor(key: string, problem: string, details: KvErrorDetails = {}) {
    super('ERR_KV_KEY', `invalid KV key ${JSON.stringify(key)}: ${problem}`, details);
    this.key = key;
  }
}

/** Invalid options given to a KV class or function; the message names the option. */
export class KvConfigError extends KvError {
  /** The option at fault, e.g. `storage` or `prefix`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super('ERR_KV_CONFIG', `KV option ${option}: ${problem}`);
    this.option = option;
  }
}

/**
 * The list of KV storages could not be found: neither the running rr (`rpc.Config`) nor the rr
 * config file answered. Both reasons are in the message and in {@link rrFailure} / {@link fileFailure}.
 */
export class KvDiscoveryError extends KvError {
  /** The rr RPC address that was tried. */
  readonly address: string;
  /** Why asking rr failed. */
  readonly rrFailure: unknown;
  /** The rr config file that was tried (absolute path). */
  readonly file: string;
  /** Why reading the file failed. */
  readonly fileFailure: unknown;

  constructor(details: { address: string; rrFailure: unknown; file: string; fileLabel: string; fileFailure: unknown }) {
    super(
      'ERR_KV_DISCOVERY',
      `cannot list the rr KV storages: the running rr did not answer rpc.Config at ${details.address} (${reason(details.rrFailure)}), ` +
        `and the rr config file ${details.fileLabel} could not be used (${reason(details.fileFailure)})`,
      { method: 'rpc.Config', cause: details.fileFailure },
    );
    this.address = details.address;
    this.rrFailure = details.rrFailure;
    this.file = details.file;
    this.fileFailure = details.fileFailure;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A value could not be turned into bytes or read back by the cache's serializer. `key` and
 * `storage` say which entry; `cause` is the serializer's own error (a `SyntaxError` for JSON that
 * is not JSON, a `TypeError` for `undefined`...). Nothing was written when `set`/`setMany` throws it.
 */
export class KvValueError extends KvError {
  /** The cache key (without the cache's prefix), when known. */
  readonly key: string | undefined;
  /** The serializer's name (`json`, `sealed(json)`...). */
  readonly serializer: string;

  constructor(
    message: string,
    details: KvErrorDetails & { key?: string | undefined; serializer: string },
    code = 'ERR_KV_VALUE',
  ) {
    super(code, message, details);
    this.key = details.key;
    this.serializer = details.serializer;
  }
}

/**
 * A value is not a sealed box this keypair opens: tampered with, truncated, written with another
 * keypair, or written without encryption. Never garbage: a sealed value either opens intact or
 * raises this.
 */
export class KvDecryptionError extends KvValueError {
  /** What was wrong with the bytes, without where they came from. */
  readonly problem: string;

  constructor(problem: string, details: KvErrorDetails & { key?: string | undefined; serializer: string }) {
    const where = details.key === undefined ? '' : ` of key ${JSON.stringify(details.key)}${details.storage === undefined ? '' : ` in storage "${details.storage}"`}`;
    super(`cannot decrypt the KV value${where}: ${problem}`, details, 'ERR_KV_DECRYPTION');
    this.problem = problem;
  }
}

/**
 * The keypair file of `kv.keypair_path` cannot be used: missing, unreadable, not 64 bytes, or not
 * a keypair (the public half does not belong to the secret half). `path` is the absolute path tried.
 */
export class KvKeypairError extends KvError {
  /** The keypair file, absolute. */
  readonly path: string;

  constructor(path: string, problem: string, cause?: unknown) {
    super('ERR_KV_KEYPAIR', `KV keypair file ${path}: ${problem}`, cause === undefined ? {} : { cause });
    this.path = path;
  }
}

/** Encryption was asked for (`kv.keypair_path`) but the optional `libsodium-wrappers` package is not installed. */
export class KvSodiumUnavailableError extends KvError {
  constructor(cause?: unknown) {
    super(
      'ERR_KV_SODIUM_UNAVAILABLE',
      'KV encryption (kv.keypair_path) needs the libsodium-wrappers package: npm install libsodium-wrappers',
      cause === undefined ? {} : { cause },
    );
  }
}

/**
 * `clear()` was asked of a cache that cannot tell its own keys from the rest of the storage: it
 * has no key prefix, so the only way to clear it is rr's `kv.Clear`, which empties the **whole**
 * storage (Redis: `FLUSHDB`), sessions and other applications' data included. Nothing was deleted.
 * Give the cache a `prefix` (then `clear()` removes exactly the keys it wrote), or say the storage
 * is the cache's alone: `ownsStorage: true`, or call `clearStorage()`.
 */
export class KvClearRefusedError extends KvError {
  declare readonly storage: string;

  constructor(storage: string) {
    super(
      'ERR_KV_CLEAR_REFUSED',
      `refusing to clear the rr KV storage "${storage}": this cache has no key prefix, so clear() would flush the whole storage ` +
        '(every other cache, session and application sharing it). Give the cache a prefix (clear() then deletes only its own keys), ' +
        'or, if the storage is this cache\'s alone, create it with ownsStorage: true or call clearStorage()',
      { method: 'kv.Clear', storage },
    );
  }
}

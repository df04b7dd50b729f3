import { chmod, open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KvKeypairError } from '../errors.js';
import { loadSodium, type Sodium } from './load-sodium.js';

/** Bytes in a keypair file: the X25519 secret key (0-31), then its public key (32-63). */
export const SODIUM_KEYPAIR_BYTES = 64;
const HALF = SODIUM_KEYPAIR_BYTES / 2;

/**
 * A sodium `crypto_box` keypair, as PHP's `sodium_crypto_box_keypair()` makes it. Load it with
 * {@link loadSodiumKeypair}; it also carries the loaded libsodium, so sealing and opening are
 * synchronous afterwards.
 */
export interface SodiumKeypair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** Where the keypair was read from (absolute), or a label such as `generated`. */
  readonly source: string;
  /** @internal libsodium, ready. */
  readonly sodium: Sodium;
}

/**
 * Reads a keypair file: the raw 64 bytes PHP writes with
 * `php -r "echo sodium_crypto_box_keypair();" > keypair.key` (RoadRunner's documented recipe), or
 * that {@link writeSodiumKeypair} (`npx rr-kv-keypair`) writes. Relative paths resolve against
 * `projectDir` (default: the working directory), like the bundle's `kernel.project_dir`.
 *
 * @throws KvKeypairError naming the absolute path: missing or unreadable file, wrong size (with a
 *   hint when it looks base64- or hex-encoded), or a public half that is not the secret half's
 * @throws KvSodiumUnavailableError when `libsodium-wrappers` is not installed
 */
export async function loadSodiumKeypair(path: string, options: { projectDir?: string } = {}): Promise<SodiumKeypair> {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new KvKeypairError(String(path), 'expected a file path (a non-empty string)');
  }
  const absolute = resolve(options.projectDir ?? process.cwd(), path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'does not exist (create one with `npx rr-kv-keypair <path>`)'
        : code === 'EACCES'
          ? 'is not readable by this process (check its owner and mode)'
          : code === 'EISDIR'
            ? 'is a directory, not a keypair file'
            : `cannot be read: ${(error as Error).message}`;
    throw new KvKeypairError(absolute, problem, error);
  }
  return sodiumKeypairFromBytes(bytes, absolute, await loadSodium());
}

/**
 * A keypair from its 64 bytes (secret key then public key), checked: the public half must be the
 * secret half's, so a corrupt or hand-assembled file fails here instead of sealing values nobody
 * can open.
 */
export function sodiumKeypairFromBytes(bytes: Uint8Array, source: string, sodium: Sodium): SodiumKeypair {
  if (bytes.length !== SODIUM_KEYPAIR_BYTES) {
    throw new KvKeypairError(source, `holds ${bytes.length} bytes, a keypair is ${SODIUM_KEYPAIR_BYTES} raw bytes (secret key, then public key)${encodingHint(bytes)}`);
  }
  const secretKey = Uint8Array.from(bytes.subarray(0, HALF));
  const publicKey = Uint8Array.from(bytes.subarray(HALF));
  if (!sodium.memcmp(sodium.crypto_scalarmult_base(secretKey), publicKey)) {
    throw new KvKeypairError(source, 'bytes 32-63 are not the public key of bytes 0-31: not a crypto_box keypair, or corrupted');
  }
  return { secretKey, publicKey, source, sodium };
}

/** A new random keypair in PHP's 64-byte layout. */
export async function generateSodiumKeypair(): Promise<Uint8Array> {
  const sodium = await loadSodium();
  const { privateKey, publicKey } = sodium.crypto_box_keypair();
  const bytes = new Uint8Array(SODIUM_KEYPAIR_BYTES);
  bytes.set(privateKey, 0);
  bytes.set(publicKey, HALF);
  return bytes;
}

/**
 * Writes a new keypair file readable by its owner only (mode 0600), and never over an existing
 * file: replacing a keypair makes every value sealed with the old one unreadable, so that is left
 * to a deliberate `rm`. Returns the absolute path.
 *
 * @throws KvKeypairError when the file exists or cannot be created
 */
export async function writeSodiumKeypair(path: string, options: { projectDir?: string } = {}): Promise<string> {
  const absolute = resolve(options.projectDir ?? process.cwd(), path);
  const bytes = await generateSodiumKeypair();
  let file;
  try {
    // 'wx' fails if the file exists; the mode applies from creation, so the key is never world-readable.
    file = await open(absolute, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'EEXIST'
        ? 'already exists; it is not replaced, because values sealed with it would become unreadable (remove it first if you mean to)'
        : `cannot be created: ${(error as Error).message}`;
    throw new KvKeypairError(absolute, problem, error);
  }
  try {
    await file.writeFile(bytes);
    // The umask cannot widen 0600, but a pre-set ACL or odd umask handling could: make it exact.
    await chmod(absolute, 0o600);
  } finally {
    await file.close();
  }
  return absolute;
}

function encodingHint(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1').trim();
  if (/^[0-9a-f]{128}$/i.test(text)) return '; this looks hex-encoded: write the raw bytes instead';
  if (/^[A-Za-z0-9+/]{86}==$/.test(text) || /^[A-Za-z0-9_-]{86}(==)?$/.test(text)) return '; this looks base64-encoded: write the raw bytes instead';
  return '';
}

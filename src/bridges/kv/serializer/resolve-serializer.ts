import { createRequire } from 'node:module';
import { KvConfigError } from '../errors.js';
import { jsonSerializer } from './json-serializer.js';
import type { Serializer } from './serializer.js';
import { v8Serializer } from './v8-serializer.js';

/** What `kv.serializer` may name: `null` (JSON), a built-in or registered name, or a `Serializer` object or class. */
export type SerializerChoice = null | undefined | 'json' | 'v8' | 'msgpack' | (string & {}) | Serializer | (new () => Serializer);

/** Serializers an application offers by name to `kv.serializer` (e.g. `{ php: PhpSerializer }`). */
export type RegisteredSerializers = Readonly<Record<string, Serializer | (new () => Serializer)>>;

/** The part of the `msgpackr` module the msgpack serializer uses. */
export interface MsgpackModule {
  Packr: new (options: { structuredClone: boolean }) => { pack(value: unknown): Uint8Array; unpack(bytes: Uint8Array): unknown };
}

/** Where {@link resolveSerializer} looks for msgpackr; tests pass one that finds none. */
export interface SerializerPeers {
  /** `msgpackr`, or `undefined` when it is not installed. Default: `require('msgpackr')`. */
  loadMsgpackr?: () => MsgpackModule | undefined;
}

const require = createRequire(import.meta.url);

/** msgpackr when it is installed (an optional peer), else `undefined`. */
function requireMsgpackr(): MsgpackModule | undefined {
  try {
    return require('msgpackr') as MsgpackModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** msgpack through msgpackr, structured-clone mode (keeps `Date`, `Map`, `Set`). */
function msgpackSerializer(msgpackr: MsgpackModule): Serializer {
  const packr = new msgpackr.Packr({ structuredClone: true });
  return { name: 'msgpack', serialize: (value) => packr.pack(value), deserialize: (bytes) => packr.unpack(bytes) };
}

/**
 * The serializer for `kv.serializer`, checked at boot. `null` (or absent) means JSON, always:
 * unlike the PHP bundle, which picks igbinary whenever the extension happens to be loaded, the
 * format never depends on what else is installed (msgpackr arrives with BullMQ and others, and a
 * silent switch would make every value written before unreadable). `"msgpack"` must be asked for.
 * Another string names one of `registered`. A user serializer must have a `name` and
 * `serialize`/`deserialize` methods; a {@link KvConfigError} names what is missing.
 */
export function resolveSerializer(choice: SerializerChoice, registered: RegisteredSerializers = {}, peers: SerializerPeers = {}): Serializer {
  if (typeof choice === 'string' && Object.hasOwn(registered, choice)) return resolveSerializer(registered[choice]!);
  const loadMsgpackr = peers.loadMsgpackr ?? requireMsgpackr;
  if (choice === null || choice === undefined || choice === 'json') return jsonSerializer;
  if (choice === 'v8') return v8Serializer;
  if (choice === 'msgpack') {
    const msgpackr = loadMsgpackr();
    if (!msgpackr) throw new KvConfigError('serializer', '"msgpack" needs the msgpackr package: npm install msgpackr');
    return msgpackSerializer(msgpackr);
  }
  if (typeof choice === 'string') {
    const names = ['"json"', '"v8"', '"msgpack"', ...Object.keys(registered).map((name) => JSON.stringify(name))];
    throw new KvConfigError('serializer', `unknown serializer ${JSON.stringify(choice)}: use ${names.join(', ')} or a Serializer`);
  }
  const candidate = typeof choice === 'function' ? new choice() : choice;
  const missing: string[] = ['serialize', 'deserialize'].filter((method) => typeof (candidate as unknown as Record<string, unknown>)[method] !== 'function');
  if (typeof candidate.name !== 'string' || candidate.name === '') missing.unshift('name');
  if (missing.length > 0) {
    const label = typeof choice === 'function' ? choice.name || 'the serializer class' : 'the serializer object';
    throw new KvConfigError('serializer', `${label} does not implement Serializer: missing ${missing.join(', ')}`);
  }
  return candidate;
}

import type { z } from 'zod';
import type { ConfigSource } from './config-source.js';
import { isMapping, text } from './schema-parts.js';
import { validateConfig } from './validate-config.js';
import { zod } from './zod.js';

/** One storage under `kv:` in `.rr.yaml`. */
export interface RrKvStorage {
  /**
   * The storage name as rr knows it: **lower-cased**, because rr reads its config through viper,
   * which lower-cases every key. This is the name KV RPC calls must use.
   */
  name: string;
  /** `memory`, `boltdb`, `redis`, `memcached`... as written. */
  driver: string;
  /** The storage's `config:` mapping (empty when absent). */
  config: Readonly<Record<string, unknown>>;
}

/** One pipeline under `jobs.pipelines` in `.rr.yaml`. */
export interface RrJobsPipeline {
  /** The pipeline name, lower-cased like {@link RrKvStorage.name} (rr's viper lower-cases keys). */
  name: string;
  /** `memory`, `amqp`, `sqs`, `beanstalk`, `kafka`, `nats`, `boltdb`, `gcp`... as written. */
  driver: string;
  /** The pipeline's `config:` mapping (empty when absent). */
  config: Readonly<Record<string, unknown>>;
}

function namedEntries(what: string, drivers: string) {
  const z = zod();
  const driverConfig = z.record(z.string(), z.unknown(), { error: 'a mapping of driver options' }).nullable().optional();
  const entry = z.looseObject(
    { driver: text(`a driver name such as ${drivers}`), config: driverConfig },
    { error: `a mapping with a "driver" key (one ${what})` },
  );
  return z
    .record(z.string(), entry, { error: `a mapping of ${what} names to { driver, config }` })
    .superRefine((entries, ctx) => {
      // rr lower-cases keys, so two names that differ only by case would silently become one.
      const seen = new Map<string, string>();
      for (const name of Object.keys(entries)) {
        const other = seen.get(name.toLowerCase());
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            input: entries[name],
            message: `${what} name differs only by case from "${other}"; rr reads keys case-insensitively, so they would collide`,
          });
        }
        seen.set(name.toLowerCase(), name);
      }
    }, { when: (payload) => isMapping(payload.value) })
    .nullable()
    .optional();
}

const COMMAND = 'a command line (string) or an argv list of strings';

/**
 * What we rely on in `.rr.yaml`; everything else passes through untouched (rr validates its own
 * config, and a worker must not reject keys of plugins it does not know).
 */
function buildRrConfigSchema() {
  const z = zod();
  return z.looseObject(
    {
      version: z.string({ error: 'a version string such as "3" (quoted: rr rejects a bare number)' }).min(1),
      include: z.array(text('a file path'), { error: 'a list of file paths' }).optional(),
      rpc: z.looseObject({ listen: z.string({ error: 'an address such as "tcp://127.0.0.1:6001"' }).optional() }).nullable().optional(),
      server: z
        .looseObject({
          command: z.union([text(COMMAND), z.array(text(COMMAND), { error: COMMAND }).min(1)], { error: COMMAND }).optional(),
          relay: text('"pipes", "tcp://host:port" or "unix://path"').optional(),
        })
        .nullable()
        .optional(),
      http: z.looseObject({ address: text('an address such as "127.0.0.1:8080"').optional() }).nullable().optional(),
      kv: namedEntries('storage', '"memory", "boltdb", "redis" or "memcached"'),
      jobs: z.looseObject({ pipelines: namedEntries('pipeline', '"memory", "amqp" or "sqs"') }).nullable().optional(),
    },
    { error: 'a mapping (an rr config file)' },
  );
}

/** Built on the first parse (zod is loaded then, see `zod()`), then reused. */
let rrConfigSchema: ReturnType<typeof buildRrConfigSchema> | undefined;

type RrConfigData = z.output<ReturnType<typeof buildRrConfigSchema>>;

/**
 * A validated, env-expanded `.rr.yaml`. Only the parts the runtime relies on are validated (see
 * the accessors); {@link section} returns anything else as written.
 */
export class RrConfig {
  /** Where the config came from, for messages. */
  readonly source: ConfigSource;
  /** The whole config tree after `${VAR}` expansion and `include:` merging. */
  readonly data: Readonly<Record<string, unknown>>;

  private readonly parsed: RrConfigData;

  /** Use {@link parseRrConfig} or `loadRrConfig`; this constructor trusts `parsed` to be validated. */
  private constructor(parsed: RrConfigData, source: ConfigSource) {
    this.parsed = parsed;
    this.data = parsed;
    this.source = source;
  }

  /** @internal Validates and wraps; {@link parseRrConfig} is the public entry point. */
  static from(input: unknown, source: ConfigSource): RrConfig {
    return new RrConfig(validateConfig((rrConfigSchema ??= buildRrConfigSchema()), input, source), source);
  }

  /** `version` as written (rr requires a string, e.g. `"3"`). */
  get version(): string {
    return this.parsed.version;
  }

  /** Whether a top-level section exists (even empty, e.g. `rpc:` alone). */
  has(name: string): boolean {
    return Object.hasOwn(this.data, name);
  }

  /** A top-level section as written (after env expansion), or `undefined`. */
  section(name: string): unknown {
    return this.has(name) ? this.data[name] : undefined;
  }

  /**
   * `rpc.listen` as written, e.g. `tcp://127.0.0.1:6001`, or `undefined` when there is no `rpc`
   * section or its `listen` is empty: exactly when rr does not set `RR_RPC` for workers (rr's own
   * default address is not propagated either).
   */
  rpcAddress(): string | undefined {
    const listen = this.parsed.rpc?.listen;
    return listen === undefined || listen === '' ? undefined : listen;
  }

  /** `http.address`, or `undefined` when there is no `http` section or address. */
  httpAddress(): string | undefined {
    return this.parsed.http?.address;
  }

  /**
   * `server.command` as argv. A string is split on single spaces, as rr does (no shell, no
   * quoting, so empty items from double spaces are kept like rr keeps them).
   */
  serverCommand(): string[] | undefined {
    const command = this.parsed.server?.command;
    if (command === undefined) return undefined;
    return typeof command === 'string' ? command.split(' ') : [...command];
  }

  /** `server.relay`: `pipes` (rr's default when absent), `tcp://...` or `unix://...`. */
  serverRelay(): string {
    return this.parsed.server?.relay ?? 'pipes';
  }

  /** Every storage under `kv:`, in file order; empty without a `kv` section. */
  kvStorages(): RrKvStorage[] {
    return entries(this.parsed.kv);
  }

  /** Every pipeline under `jobs.pipelines`, in file order; empty without one. */
  jobsPipelines(): RrJobsPipeline[] {
    return entries(this.parsed.jobs?.pipelines);
  }
}

function entries(
  map: Record<string, { driver: string; config?: Record<string, unknown> | null | undefined }> | null | undefined,
): { name: string; driver: string; config: Readonly<Record<string, unknown>> }[] {
  return Object.entries(map ?? {}).map(([name, entry]) => ({ name: name.toLowerCase(), driver: entry.driver, config: entry.config ?? {} }));
}

/**
 * Validates an rr config given as an object (already parsed and expanded).
 *
 * @param source names the object in messages (default `.rr.yaml`).
 * @throws ConfigError for a missing or non-string `version`, a `kv` storage or jobs pipeline
 *   without `driver` (`.rr.yaml: kv.local.driver: missing, expected a driver name ...`), or a
 *   wrongly typed `rpc.listen`, `server.command`, `server.relay` or `http.address`.
 */
export function parseRrConfig(input: unknown, source: string | ConfigSource = '.rr.yaml'): RrConfig {
  return RrConfig.from(input, typeof source === 'string' ? { label: source } : source);
}

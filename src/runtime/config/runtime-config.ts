import { z } from 'zod';
import { flag, namedMap, section, text } from './schema-parts.js';

/**
 * The runtime's own options, mirroring the Symfony bundle's `fluffy_discord_road_runner` tree key
 * for key (snake_case as in the bundle, `taskQueue` camelCase as in the bundle). Every key is
 * optional in the file; this type is the result with defaults applied.
 */
export interface RuntimeConfig {
  /**
   * Path of rr's config file, relative to the project dir (absolute paths are kept). Read to find
   * the `kv` storages without a running rr, e.g. while building a Docker image. Default `.rr.yaml`.
   */
  rr_config_path: string;
  http: HttpRuntimeConfig;
  centrifugo: CentrifugoRuntimeConfig;
  kv: KvRuntimeConfig;
  jobs: JobsRuntimeConfig;
  temporal: TemporalRuntimeConfig;
}

/** `http:` options. */
export interface HttpRuntimeConfig {
  /**
   * `false` (default): boot the kernel before telling rr the worker is ready, so response times
   * are even. `true`: boot it on the first request, so a large pool becomes ready fast at the cost
   * of a slow first response per worker.
   */
  lazy_boot: boolean;
  /**
   * Send one synthetic request through the kernel at boot so routing and the services around it
   * are warm before real traffic. Default: `true` when `NODE_ENV=production`, else `false` (the
   * bundle's prod/dev defaults). Apps whose routing needs a real host (multi-tenant) should turn it
   * off: upstream removed the option for that reason.
   */
  early_router_initialization: boolean;
}

/** `centrifugo:` options. */
export interface CentrifugoRuntimeConfig {
  /** Same meaning as {@link HttpRuntimeConfig.lazy_boot}, for the Centrifugo worker. Default `false`. */
  lazy_boot: boolean;
}

/**
 * Serializer for KV values: `json`, `v8` (node:v8 structured clone) and `msgpack` (the optional
 * `msgpackr` peer) are built in; any other string names a serializer the application registered.
 * `null` (default) lets the KV bridge pick its default.
 */
export type KvSerializerName = 'json' | 'v8' | 'msgpack' | (string & {});

/** `kv:` options. */
export interface KvRuntimeConfig {
  /** Register a cache service `cache.adapter.rr_kv.NAME` for every storage under `kv:` in `.rr.yaml`. Default `true`. */
  auto_register: boolean;
  /** See {@link KvSerializerName}. Default `null`. */
  serializer: KvSerializerName | null;
  /**
   * Path (relative to the project dir) of a raw 64-byte sodium `crypto_box` keypair; when set,
   * values are sealed end to end as RoadRunner's PHP `SodiumSerializer` does (needs the optional
   * `libsodium-wrappers` peer). Absent (or `null` in the file) means no encryption.
   */
  keypair_path?: string;
}

/**
 * `jobs:` options (not in the PHP bundle, which never retried: its README promised requeue on any
 * exception, and its code acked). What happens to a task whose handler throws.
 */
export interface JobsRuntimeConfig {
  retry: JobsRetryConfig;
  /**
   * Pipeline (declared in `.rr.yaml`) that receives a copy of every task that failed for good
   * (attempts used up, payload rejected by its schema), with the error in its `x-rr-error` header;
   * the original is then acked. `null` (default): such a task is nacked without requeue (dropped by
   * rr; RabbitMQ dead-letters it when its queue has a DLX).
   */
  dead_letter_pipeline: string | null;
}

/** `jobs.retry:` the retry policy. The n-th retry waits `delay * multiplier^(n-1)` seconds, at most `max_delay`. */
export interface JobsRetryConfig {
  /** Attempts in all, the first included (counted in the task's `x-rr-attempts` header). Default 4. */
  max_attempts: number;
  /** Seconds before the first retry. Default 1. */
  delay: number;
  /** Backoff factor between retries. Default 2. */
  multiplier: number;
  /** Upper bound of a retry's delay, in seconds. Default 3600. */
  max_delay: number;
}

/** `temporal:` options. */
export interface TemporalRuntimeConfig {
  /** Temporal workers by name. Default: none. */
  workers: Record<string, TemporalWorkerConfig>;
}

/** One entry of `temporal.workers`. */
export interface TemporalWorkerConfig {
  /** Task queue the worker polls. Default `default`, as in the bundle. */
  taskQueue: string;
  /** Workflow names (or module specifiers) this worker registers. Default `[]`. */
  workflow: string[];
  /** Activity service ids, resolved from the container in a fresh scope per call. Default `[]`. */
  activity: string[];
}

/**
 * The runtime config as written (in `roadrunner.yaml` or in code for `defineApp({ config })`):
 * every key optional, defaults applied by validation.
 */
export type RuntimeConfigInput = {
  rr_config_path?: string;
  http?: Partial<HttpRuntimeConfig>;
  centrifugo?: Partial<CentrifugoRuntimeConfig>;
  kv?: Partial<Omit<KvRuntimeConfig, 'keypair_path'>> & { keypair_path?: string | null };
  jobs?: { retry?: Partial<JobsRetryConfig>; dead_letter_pipeline?: string | null };
  temporal?: { workers?: Record<string, Partial<TemporalWorkerConfig>> };
};

/** Options that change defaults, not values. */
export interface RuntimeConfigSchemaOptions {
  /** Whether the app runs in production; decides the default of `http.early_router_initialization`. */
  production: boolean;
}

const BUNDLE_ROOT_HINT =
  'this file holds the options at the top level: drop the bundle\'s "fluffy_discord_road_runner:" wrapper and un-indent what it contained';

/** A number (a numeric string too, as `${VAR}` expands to one) of at least `min`. */
const amount = (expected: string, min: number, integer = false) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    (integer ? z.number({ error: expected }).int({ error: expected }) : z.number({ error: expected })).min(min, { error: expected }),
  );

const names = (item: string, list: string) => z.array(text(`${item} (a non-empty string)`), { error: list });

/** The zod schema of the runtime config file, with defaults for the given environment. */
export function runtimeConfigSchema(options: RuntimeConfigSchemaOptions) {
  const temporalWorker = section({
    taskQueue: text('a task queue name (a non-empty string)').default('default'),
    workflow: names('a workflow name', 'a list of workflow names').default(() => []),
    activity: names('an activity service id', 'a list of activity service ids').default(() => []),
  });
  return section(
    {
      rr_config_path: text('a path to the rr config file (a non-empty string)').default('.rr.yaml'),
      http: section({
        lazy_boot: flag().default(false),
        early_router_initialization: flag().default(options.production),
      }).prefault({}),
      centrifugo: section({ lazy_boot: flag().default(false) }).prefault({}),
      kv: section({
        auto_register: flag().default(true),
        serializer: text('null, "json", "v8", "msgpack" or the name of a registered serializer').nullable().default(null),
        keypair_path: text('a path to a keypair file (a non-empty string) or null')
          .nullable()
          .optional()
          .transform((value) => value ?? undefined),
      }).prefault({}),
      jobs: section({
        retry: section({
          max_attempts: amount('a whole number of attempts >= 1', 1, true).default(4),
          delay: amount('a number of seconds >= 0', 0).default(1),
          multiplier: amount('a number >= 1', 1).default(2),
          max_delay: amount('a number of seconds >= 0', 0).default(3600),
        }).prefault({}),
        dead_letter_pipeline: text('a pipeline name (a non-empty string) or null').nullable().default(null),
      }).prefault({}),
      temporal: section({
        workers: namedMap(temporalWorker, 'a mapping of worker names to { taskQueue, workflow, activity }').default(() => ({})),
      }).prefault({}),
    },
    { fluffy_discord_road_runner: BUNDLE_ROOT_HINT },
  );
}

// Compile-time proof that the schema produces a RuntimeConfig: this line stops compiling when the
// interface and the schema drift apart.
type RuntimeConfigSchemaOutput = z.output<ReturnType<typeof runtimeConfigSchema>>;
const schemaMatchesInterface = (output: RuntimeConfigSchemaOutput): RuntimeConfig => output;
void schemaMatchesInterface;

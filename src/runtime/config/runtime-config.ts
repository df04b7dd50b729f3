import type { z } from 'zod';
import { flag, namedMap, section, text } from './schema-parts.js';
import { zod } from './zod.js';

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
 * `null` (default) means JSON: msgpack is used only when named, never because `msgpackr` happens
 * to be installed.
 */
export type KvSerializerName = 'json' | 'v8' | 'msgpack' | (string & {});

/** `kv:` options. */
export interface KvRuntimeConfig {
  /** Register a cache service `cache.adapter.rr_kv.NAME` for every storage under `kv:` in `.rr.yaml`. Default `true`. */
  auto_register: boolean;
  /** See {@link KvSerializerName}. Default `null` (JSON). */
  serializer: KvSerializerName | null;
  /**
   * Path (relative to the project dir) of a raw 64-byte sodium `crypto_box` keypair; when set,
   * values are sealed end to end as RoadRunner's PHP `SodiumSerializer` does (needs the optional
   * `libsodium-wrappers` peer). Absent (or `null` in the file) means no encryption.
   */
  keypair_path?: string | undefined;
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

/**
 * `temporal:` options: how the Temporal bridge (`roadrunner-runtime/temporal`) reaches the Temporal
 * server, and the workers it runs. The bridge reads them with `temporalBindings({ runtimeConfig })`.
 */
export interface TemporalRuntimeConfig {
  /**
   * `host:port` of the Temporal frontend (gRPC). Default `127.0.0.1:7233`, where
   * `temporal server start-dev` listens. Use `${TEMPORAL_ADDRESS:-127.0.0.1:7233}` to take it from
   * the environment.
   */
  address: string;
  /** The Temporal namespace workflows run in. Default `default`. */
  namespace: string;
  /**
   * API key (Temporal Cloud), sent as `Authorization: Bearer <key>`; it turns TLS on unless
   * `tls: false`. Write `${TEMPORAL_API_KEY}` rather than the key itself. An empty value (an unset
   * variable) means no key. Never logged. Default: none.
   */
  api_key?: string | undefined;
  /**
   * TLS to the server: `true` for TLS with the server verified against the system's CAs, a mapping
   * for more (see {@link TemporalTlsConfig}), `false` for plain gRPC. Absent (default): plain gRPC,
   * or TLS when `api_key` is set.
   */
  tls?: boolean | TemporalTlsConfig | undefined;
  /** Temporal workers by name: one SDK worker each, all in the Temporal worker process. Default: none. */
  workers: Record<string, TemporalWorkerConfig>;
}

/** `temporal.tls` as a mapping. Paths are relative to the project dir. */
export interface TemporalTlsConfig {
  /** PEM file of the CA that signed the server's certificate. Default: the system's CAs. */
  root_ca?: string | undefined;
  /** PEM file of the client certificate, for mTLS (Temporal Cloud's certificate auth). Needs `key`. */
  cert?: string | undefined;
  /** PEM file of the client certificate's private key. Needs `cert`. */
  key?: string | undefined;
  /** The server name to verify (and send as SNI). Default: the host part of `address`. */
  server_name?: string | undefined;
}

/**
 * One entry of `temporal.workers`. Workflows and activities are named by module reference,
 * `<module>#<export>`: the module is a path relative to the project dir (`./temporal/workflows.ts`)
 * or a package specifier (`@acme/workflows`), the export a named export of it (the default export
 * when `#<export>` is left out for an activity).
 */
export interface TemporalWorkerConfig {
  /** Task queue the worker polls. Default `default`, as in the bundle. */
  taskQueue: string;
  /**
   * Workflow modules: `./temporal/workflows.ts#greetingWorkflow` registers that one workflow
   * function; `./temporal/workflows.ts` registers every function the module exports. They are
   * bundled together once when the worker process starts. Default `[]`.
   */
  workflow: string[];
  /**
   * Activity classes: `./temporal/greeting-activity.ts#GreetingActivity`. Each becomes a public,
   * request-scoped container service (its class is the id), built in a fresh scope for every
   * activity call; each of its methods is one activity, named after the method. Default `[]`.
   */
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
  temporal?: Partial<Omit<TemporalRuntimeConfig, 'workers' | 'api_key'>> & { api_key?: string | null; workers?: Record<string, Partial<TemporalWorkerConfig>> };
};

/** Options that change defaults, not values. */
export interface RuntimeConfigSchemaOptions {
  /** Whether the app runs in production; decides the default of `http.early_router_initialization`. */
  production: boolean;
}

const BUNDLE_ROOT_HINT =
  'this file holds the options at the top level: drop the bundle\'s "fluffy_discord_road_runner:" wrapper and un-indent what it contained';

/** A number (a numeric string too, as `${VAR}` expands to one) of at least `min`. */
const amount = (expected: string, min: number, integer = false) => {
  const z = zod();
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
    (integer ? z.number({ error: expected }).int({ error: expected }) : z.number({ error: expected })).min(min, { error: expected }),
  );
};

const names = (item: string, list: string) => zod().array(text(`${item} (a non-empty string)`), { error: list });

/** The zod schema of the runtime config file, with defaults for the given environment. */
export function runtimeConfigSchema(options: RuntimeConfigSchemaOptions) {
  const z = zod();
  const temporalWorker = section({
    taskQueue: text('a task queue name (a non-empty string)').default('default'),
    workflow: names('a workflow module reference', 'a list of workflow module references').default(() => []),
    activity: names('an activity class reference', 'a list of activity class references').default(() => []),
  });
  const temporalTls = section({
    root_ca: text('a path to a PEM file (a non-empty string)').optional(),
    cert: text('a path to a PEM file (a non-empty string)').optional(),
    key: text('a path to a PEM file (a non-empty string)').optional(),
    server_name: text('a server name (a non-empty string)').optional(),
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
        address: text('a host:port address (a non-empty string)').default('127.0.0.1:7233'),
        namespace: text('a namespace name (a non-empty string)').default('default'),
        // An unset ${TEMPORAL_API_KEY} expands to "": no key, the way a local dev server runs.
        api_key: z
          .string({ error: 'an API key (a string) or null' })
          .nullable()
          .optional()
          .transform((value) => (value === null || value === '' ? undefined : value)),
        tls: z.union([flag(), temporalTls], { error: 'true, false or a mapping of root_ca, cert, key, server_name' }).optional(),
        workers: namedMap(temporalWorker, 'a mapping of worker names to { taskQueue, workflow, activity }').default(() => ({})),
      }).prefault({}),
    },
    { fluffy_discord_road_runner: BUNDLE_ROOT_HINT },
  );
}

/**
 * What {@link runtimeConfigSchema} gives for no options at all, built without it (and so without
 * loading zod). A unit test holds the two equal.
 */
export function defaultRuntimeConfig(options: RuntimeConfigSchemaOptions): RuntimeConfig {
  return {
    rr_config_path: '.rr.yaml',
    http: { lazy_boot: false, early_router_initialization: options.production },
    centrifugo: { lazy_boot: false },
    kv: { auto_register: true, serializer: null },
    jobs: { retry: { max_attempts: 4, delay: 1, multiplier: 2, max_delay: 3600 }, dead_letter_pipeline: null },
    temporal: { address: '127.0.0.1:7233', namespace: 'default', workers: {} },
  };
}

// Compile-time proof that the schema produces a RuntimeConfig: this line stops compiling when the
// interface and the schema drift apart.
type RuntimeConfigSchemaOutput = z.output<ReturnType<typeof runtimeConfigSchema>>;
const schemaMatchesInterface = (output: RuntimeConfigSchemaOutput): RuntimeConfig => output;
void schemaMatchesInterface;

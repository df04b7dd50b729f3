export type { ConfigSource } from './config-source.js';
export type { EnvSource } from './expand-env.js';
export { expandEnv, expandEnvDeep } from './expand-env.js';
export type {
  CentrifugoRuntimeConfig,
  HttpRuntimeConfig,
  JobsRetryConfig,
  JobsRuntimeConfig,
  KvRuntimeConfig,
  KvSerializerName,
  RuntimeConfig,
  RuntimeConfigInput,
  RuntimeConfigSchemaOptions,
  TemporalRuntimeConfig,
  TemporalWorkerConfig,
} from './runtime-config.js';
export { runtimeConfigSchema } from './runtime-config.js';
export type { ParseRuntimeConfigOptions } from './parse-runtime-config.js';
export { parseRuntimeConfig } from './parse-runtime-config.js';
export type { LoadRuntimeConfigOptions } from './load-runtime-config.js';
export { DEFAULT_RUNTIME_CONFIG_FILE, loadRuntimeConfig, RUNTIME_CONFIG_FILE_VARIABLE } from './load-runtime-config.js';
export type { RrJobsPipeline, RrKvStorage } from './rr-config.js';
export { RrConfig, parseRrConfig } from './rr-config.js';
export type { LoadRrConfigOptions } from './load-rr-config.js';
export { loadRrConfig } from './load-rr-config.js';
export type { ConfigValueOrigin, ExplainedConfigValue, ExplainedRuntimeConfig } from './explain-runtime-config.js';
export { explainRuntimeConfig } from './explain-runtime-config.js';

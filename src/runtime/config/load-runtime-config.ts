import { isAbsolute, relative, resolve } from 'node:path';
import type { EnvSource } from './expand-env.js';
import { expandEnvDeep } from './expand-env.js';
import { parseRuntimeConfig } from './parse-runtime-config.js';
import { MISSING_FILE, readYamlFile } from './read-yaml-file.js';
import type { RuntimeConfig, RuntimeConfigInput } from './runtime-config.js';
import { isMapping } from './schema-parts.js';

/** File read by {@link loadRuntimeConfig} when no `file` is given and the variable below is unset. */
export const DEFAULT_RUNTIME_CONFIG_FILE = 'roadrunner.yaml';

/**
 * Environment variable naming the runtime config file (relative to the project dir or absolute),
 * e.g. set in `.rr.yaml`'s `server.env`; the file must then exist.
 */
export const RUNTIME_CONFIG_FILE_VARIABLE = 'ROADRUNNER_RUNTIME_CONFIG';

/** Options of {@link loadRuntimeConfig}. */
export interface LoadRuntimeConfigOptions {
  /**
   * The YAML file to read, relative to `projectDir` or absolute; it must exist. When omitted, the
   * file named by `ROADRUNNER_RUNTIME_CONFIG` (which must exist), else `roadrunner.yaml` in
   * `projectDir` if it exists; all defaults apply when there is none (a project needs no file to
   * run with the defaults).
   */
  file?: string;
  /**
   * Options given in code (`defineApp({ config })`), with the file's keys; they win over the file,
   * key by key. Validated on their own first, so an error names them rather than the file.
   */
  overrides?: RuntimeConfigInput;
  /** Directory that relative paths resolve against (the bundle's `kernel.project_dir`). Default `process.cwd()`. */
  projectDir?: string;
  /** Variables for `${VAR}` expansion and `NODE_ENV`. Default `process.env`. */
  env?: EnvSource;
}

/**
 * Reads the runtime config file: YAML, then rr-style `${VAR}` / `${VAR:-default}` / `$VAR`
 * expansion of string values (see `expandEnv`), then validation with defaults.
 * The file holds the options at the top level (no `fluffy_discord_road_runner:` wrapper).
 *
 * @throws ConfigError for a missing explicit file (`roadrunner.yaml: file not found (/abs/path)`),
 *   a YAML syntax error (`roadrunner.yaml:3:5: ...`) or invalid values
 *   (`roadrunner.yaml: http.lazy_boot: expected a boolean, got "yes"`).
 */
export async function loadRuntimeConfig(options: LoadRuntimeConfigOptions = {}): Promise<RuntimeConfig> {
  const env = options.env ?? process.env;
  const { file, label, optional } = locateRuntimeConfig(options);
  const { overrides } = options;
  if (overrides !== undefined) parseRuntimeConfig(overrides, CODE_CONFIG_LABEL, { env });
  const raw = await readYamlFile({ label, file }, { optional });
  if (raw === MISSING_FILE) return parseRuntimeConfig(overrides, overrides === undefined ? label : CODE_CONFIG_LABEL, { env });
  return parseRuntimeConfig(deepMerge(expandEnvDeep(raw, env), overrides), label, { env, file });
}

/** How options given in code are named in error messages. */
export const CODE_CONFIG_LABEL = 'defineApp({ config })';

/** Which file {@link loadRuntimeConfig} reads: absolute, as messages name it, and whether it may be missing. */
export function locateRuntimeConfig(options: Pick<LoadRuntimeConfigOptions, 'file' | 'projectDir' | 'env'>): { file: string; label: string; optional: boolean } {
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const named = options.file ?? nonEmpty((options.env ?? process.env)[RUNTIME_CONFIG_FILE_VARIABLE]);
  const file = resolve(projectDir, named ?? DEFAULT_RUNTIME_CONFIG_FILE);
  return { file, label: displayPath(projectDir, file), optional: named === undefined };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** `over` wins key by key; mappings merge recursively, anything else (lists included) replaces. */
function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isMapping(base) || !isMapping(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/** The path as a user would write it: relative to the project dir when inside it, else absolute. */
export function displayPath(projectDir: string, file: string): string {
  const rel = relative(projectDir, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

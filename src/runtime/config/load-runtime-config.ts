import { isAbsolute, relative, resolve } from 'node:path';
import type { EnvSource } from './expand-env.js';
import { expandEnvDeep } from './expand-env.js';
import { parseRuntimeConfig } from './parse-runtime-config.js';
import { MISSING_FILE, readYamlFile } from './read-yaml-file.js';
import type { RuntimeConfig } from './runtime-config.js';

/** File read by {@link loadRuntimeConfig} when no `file` is given. */
export const DEFAULT_RUNTIME_CONFIG_FILE = 'roadrunner.yaml';

/** Options of {@link loadRuntimeConfig}. */
export interface LoadRuntimeConfigOptions {
  /**
   * The YAML file to read, relative to `projectDir` or absolute; it must exist. When omitted,
   * `roadrunner.yaml` in `projectDir` is read if it exists, and all defaults apply if it does not
   * (a project needs no file to run with the defaults).
   */
  file?: string;
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
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const env = options.env ?? process.env;
  const file = resolve(projectDir, options.file ?? DEFAULT_RUNTIME_CONFIG_FILE);
  const label = displayPath(projectDir, file);
  const raw = await readYamlFile({ label, file }, { optional: options.file === undefined });
  if (raw === MISSING_FILE) return parseRuntimeConfig(undefined, label, { env });
  return parseRuntimeConfig(expandEnvDeep(raw, env), label, { env, file });
}

/** The path as a user would write it: relative to the project dir when inside it, else absolute. */
export function displayPath(projectDir: string, file: string): string {
  const rel = relative(projectDir, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

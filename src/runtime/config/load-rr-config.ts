import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { EnvSource } from './expand-env.js';
import { expandEnvDeep } from './expand-env.js';
import { displayPath } from './load-runtime-config.js';
import { readYamlFile } from './read-yaml-file.js';
import type { RrConfig } from './rr-config.js';
import { parseRrConfig } from './rr-config.js';

/** Options of {@link loadRrConfig}. */
export interface LoadRrConfigOptions {
  /** rr's config file, relative to `projectDir` or absolute; normally `RuntimeConfig.rr_config_path`. Default `.rr.yaml`. */
  file?: string;
  /** Directory relative paths resolve against. Default `process.cwd()`. */
  projectDir?: string;
  /** Variables for `${VAR}` expansion. Default `process.env`. */
  env?: EnvSource;
}

/**
 * Reads `.rr.yaml` the way rr does: YAML, `${VAR}` expansion of string values, then the files
 * listed under `include:` (relative to the config file's directory; each must have the same
 * `version`, and each of its top-level sections replaces the same section of the file before it).
 * The file must exist: unlike the runtime config there is no sensible default.
 *
 * @throws ConfigError naming the file (and line:col for YAML errors, or the key path).
 */
export async function loadRrConfig(options: LoadRrConfigOptions = {}): Promise<RrConfig> {
  const projectDir = resolve(options.projectDir ?? process.cwd());
  const env = options.env ?? process.env;
  const file = resolve(projectDir, options.file ?? '.rr.yaml');
  const source = { label: displayPath(projectDir, file), file };
  const root = parseRrConfig(expandEnvDeep(await readYamlFile(source), env), source);
  const includes = root.data['include'] as string[] | undefined;
  if (includes === undefined || includes.length === 0) return root;

  const merged: Record<string, unknown> = { ...root.data };
  for (const [index, include] of includes.entries()) {
    const includedFile = resolve(dirname(file), include);
    const includedSource = { label: displayPath(projectDir, includedFile), file: includedFile };
    const included = parseRrConfig(expandEnvDeep(await readYamlFile(includedSource), env), includedSource);
    if (included.version !== root.version) {
      throw new ConfigError(
        `${includedSource.label}: version: expected "${root.version}" like ${source.label} (which includes it as include[${index}]), got "${included.version}"`,
        { file: includedFile, path: 'version' },
      );
    }
    Object.assign(merged, included.data);
  }
  return parseRrConfig(merged, source);
}

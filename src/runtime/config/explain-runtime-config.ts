import type { EnvSource } from './expand-env.js';
import { CODE_CONFIG_LABEL, loadRuntimeConfig, locateRuntimeConfig, type LoadRuntimeConfigOptions } from './load-runtime-config.js';
import { MISSING_FILE, readYamlFile } from './read-yaml-file.js';
import type { RuntimeConfig } from './runtime-config.js';
import { isMapping } from './schema-parts.js';

/** Where one value of the runtime config came from. */
export type ConfigValueOrigin =
  | { readonly kind: 'default' }
  | {
      readonly kind: 'file';
      /** The file, as messages name it (relative to the project dir when inside it). */
      readonly file: string;
      /**
       * The value as written when it used `${VAR}` expansion (`${TEMPORAL_ADDRESS:-127.0.0.1:7233}`),
       * and each variable it names with whether the environment set it (unset or empty: the default
       * inside the expression, else an empty string, was used).
       */
      readonly expansion?: { readonly written: string; readonly variables: ReadonlyArray<{ readonly name: string; readonly set: boolean }> };
    }
  | { readonly kind: 'code'; readonly label: string };

/** One leaf of the runtime config, its value and where it came from. */
export interface ExplainedConfigValue {
  /** Dotted key path: `http.lazy_boot`, `temporal.workers.default.taskQueue`. */
  readonly path: string;
  readonly value: unknown;
  readonly origin: ConfigValueOrigin;
  /** A credential (`temporal.api_key`): never print its value. */
  readonly secret: boolean;
}

/** What {@link explainRuntimeConfig} returns. */
export interface ExplainedRuntimeConfig {
  /** The merged, validated config: exactly what `loadRuntimeConfig()` returns for the same options. */
  readonly config: RuntimeConfig;
  /** The runtime config file read, as messages name it; `undefined` when there was none. */
  readonly file: string | undefined;
  /** Every leaf of `config` (lists and empty mappings are leaves), in the config's key order. */
  readonly values: readonly ExplainedConfigValue[];
}

const SECRETS: ReadonlySet<string> = new Set(['temporal.api_key']);

/**
 * Loads the runtime config as {@link loadRuntimeConfig} does (same file, `${VAR}` expansion,
 * `overrides` winning, validation and defaults) and says where each value came from: a default, the
 * file (with the `${VAR}` expression and its variables when one was expanded), or the options given
 * in code. What `roadrunner-runtime debug:config` prints.
 *
 * @throws ConfigError as `loadRuntimeConfig` does.
 */
export async function explainRuntimeConfig(options: LoadRuntimeConfigOptions = {}): Promise<ExplainedRuntimeConfig> {
  const config = await loadRuntimeConfig(options);
  const env = options.env ?? process.env;
  const { file, label, optional } = locateRuntimeConfig(options);
  const raw = await readYamlFile({ label, file }, { optional });
  const written = raw === MISSING_FILE ? undefined : raw;
  const values: ExplainedConfigValue[] = [];
  for (const [path, value] of leaves(config, [])) {
    const dotted = path.join('.');
    const inCode = valueAt(options.overrides, path);
    const inFile = valueAt(written, path);
    const origin: ConfigValueOrigin =
      inCode !== undefined ? { kind: 'code', label: CODE_CONFIG_LABEL } : inFile !== undefined ? fileOrigin(label, inFile, env) : { kind: 'default' };
    values.push({ path: dotted, value, origin, secret: SECRETS.has(dotted) });
  }
  return { config, file: written === undefined ? undefined : label, values };
}

function fileOrigin(file: string, written: unknown, env: EnvSource): ConfigValueOrigin {
  const strings = typeof written === 'string' ? [written] : Array.isArray(written) ? written.filter((item): item is string => typeof item === 'string') : [];
  const names = new Set<string>();
  // The names expandEnv would look up: ${NAME}, ${NAME:-default}, $NAME.
  for (const text of strings) for (const match of text.matchAll(/\$\{([A-Za-z0-9_]+)(?::-[^}]*)?\}|\$([A-Za-z0-9_]+)/g)) names.add((match[1] ?? match[2])!);
  if (names.size === 0) return { kind: 'file', file };
  const variables = [...names].map((name) => ({ name, set: (env[name] ?? '') !== '' }));
  return { kind: 'file', file, expansion: { written: typeof written === 'string' ? written : JSON.stringify(written), variables } };
}

/** `[path, value]` for every leaf: scalars, lists and empty mappings. */
function* leaves(value: unknown, path: string[]): Generator<[string[], unknown]> {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) yield* leaves(item, [...path, key]);
  } else {
    yield [path, value];
  }
}

function valueAt(tree: unknown, path: readonly string[]): unknown {
  let current = tree;
  for (const key of path) {
    if (!isMapping(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

import { parseArgs } from 'node:util';
import { explainRuntimeConfig, type ConfigValueOrigin, type ExplainedConfigValue } from '../../runtime/config/explain-runtime-config.js';
import { CliError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { formatTable } from './format-table.js';
import { loadApp } from './load-app.js';

export const DEBUG_CONFIG_USAGE = 'usage: roadrunner-runtime debug:config [<app-module>] [--json]';

/**
 * `roadrunner-runtime debug:config [<app-module>] [--json]`: the runtime config the worker would
 * get (roadrunner.yaml, or the file ROADRUNNER_RUNTIME_CONFIG names, in the working directory,
 * `${VAR}` expanded, merged with the app's `defineApp({ config })` when an app module is given,
 * validated, defaults applied), each value with where it came from. Credentials are never printed.
 * An invalid config is the same error the worker's boot would log.
 */
export async function debugConfig(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  if (positionals.length > 1) throw new CliError(DEBUG_CONFIG_USAGE, { exitCode: 2 });
  const [modulePath] = positionals;
  const app = modulePath === undefined ? undefined : await loadApp(modulePath, process.env, DEBUG_CONFIG_USAGE);
  const explained = await explainRuntimeConfig({ env: process.env, ...(app?.config === undefined ? {} : { overrides: app.config }) });
  if (values.json) {
    io.out(JSON.stringify({ file: explained.file ?? null, values: explained.values.map((value) => ({ key: value.path, value: shown(value), from: value.origin })) }, null, 2));
    return 0;
  }
  const sources = [explained.file ?? 'no runtime config file (roadrunner.yaml) in the working directory', ...(app?.config === undefined ? [] : ['defineApp({ config })'])];
  io.out(`Runtime config: ${sources.join(' + ')}, validated, defaults applied (options passed to a mode factory in code win over these)\n`);
  io.out(formatTable(['KEY', 'VALUE', 'FROM'], explained.values.map((value) => [value.path, JSON.stringify(shown(value)) ?? 'undefined', describeOrigin(value.origin)])));
  return 0;
}

/** A credential shows whether it is set, never its value. */
function shown(value: ExplainedConfigValue): unknown {
  return value.secret ? (value.value === undefined ? undefined : '(set, hidden)') : value.value;
}

/** `default`, `roadrunner.yaml`, `roadrunner.yaml: ${A:-x} (A unset)`, `defineApp({ config })`. */
export function describeOrigin(origin: ConfigValueOrigin): string {
  if (origin.kind === 'default') return 'default';
  if (origin.kind === 'code') return origin.label;
  if (origin.expansion === undefined) return origin.file;
  const variables = origin.expansion.variables.map((variable) => `${variable.name} ${variable.set ? 'set' : 'unset'}`).join(', ');
  return `${origin.file}: ${origin.expansion.written} (${variables})`;
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${DEBUG_CONFIG_USAGE}`, { exitCode: 2 });
  }
}

import type { ModeContext } from '../../src/runtime/app/define-app.js';
import { parseRuntimeConfig } from '../../src/runtime/config/parse-runtime-config.js';
import type { RuntimeConfigInput } from '../../src/runtime/config/runtime-config.js';

/**
 * A `ModeContext` as `runApp` makes it, for driving a mode factory in-process: the runtime config
 * is `config` validated with defaults (as if it came from `defineApp({ config })`), logs and
 * reported errors go to the given sinks (default: dropped).
 */
export function modeContext(
  options: Partial<Omit<ModeContext, 'config'>> & { config?: RuntimeConfigInput } = {},
): ModeContext {
  const env = options.env ?? {};
  return {
    mode: options.mode ?? 'http',
    env,
    config: parseRuntimeConfig(options.config, 'defineApp({ config })', { env }),
    log: options.log ?? (() => {}),
    reportError: options.reportError ?? (async () => {}),
  };
}

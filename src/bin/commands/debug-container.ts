import { parseArgs } from 'node:util';
import type { ServiceDescription } from '../../container/service-description.js';
import { bootMode } from '../../runtime/app/boot-mode.js';
import { CliError } from './cli-error.js';
import type { CommandIo } from './command-io.js';
import { describeAppError } from './describe-app-error.js';
import { formatTable } from './format-table.js';
import { loadApp } from './load-app.js';

export const DEBUG_CONTAINER_USAGE = 'usage: roadrunner-runtime debug:container <app-module> [--mode http] [--json]';

/**
 * `roadrunner-runtime debug:container <app-module> [--mode http] [--json]`: loads the app module,
 * boots the mode's worker as a worker process does before rr's handshake (singletons built unless
 * lazy boot) without serving anything, and prints every service of its container: id, scope,
 * visibility, declared Resettable, whether it was built, tags and aliases. Exit code 1 when the
 * mode failed to boot (the cause follows the table, on stderr).
 */
export async function debugContainer(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args);
  const [modulePath] = positionals;
  if (modulePath === undefined || positionals.length > 1) throw new CliError(DEBUG_CONTAINER_USAGE, { exitCode: 2 });
  const mode = values.mode ?? 'http';
  const app = await loadApp(modulePath, process.env, DEBUG_CONTAINER_USAGE);
  const booted = await bootMode(app, { mode, log: (line) => io.err(line) });
  try {
    const container = booted.worker.container;
    if (container === undefined) {
      throw new CliError(
        `the ${mode} mode of ${modulePath} has no container to list: its worker does not set ModeWorker.container ` +
          '(the bridges\' modes and scopedMode do; a mode factory of your own returns { handle, container })',
      );
    }
    const services = container.describeServices();
    if (values.json) {
      io.out(JSON.stringify({ app: modulePath, mode, adapter: container.adapter, services: services.map(toJson) }, null, 2));
    } else {
      io.out(`${services.length} services in the ${mode} mode's container of ${modulePath} (${container.adapter})\n`);
      io.out(formatServices(services));
    }
    for (const line of booted.errors) io.err(line);
    return booted.errors.length === 0 ? 0 : 1;
  } finally {
    await booted.worker.shutdown?.().catch((error: unknown) => io.err(`shutting the ${mode} worker down failed: ${describeAppError(error, io.ownDirs)}`));
  }
}

/** The table `debug:container` prints. */
export function formatServices(services: readonly ServiceDescription[]): string {
  return formatTable(
    ['ID', 'SCOPE', 'VISIBILITY', 'RESETTABLE', 'BUILT', 'TAGS', 'ALIASES'],
    services.map((service) => [
      service.name,
      service.scope,
      service.public ? 'public' : 'private',
      service.resettable ? 'yes' : 'no',
      builtColumn(service),
      service.tags.join(', ') || '-',
      service.aliases.join(', ') || '-',
    ]),
  );
}

/** Request-scoped and transient services are never in the root: say when they are built instead. */
function builtColumn(service: ServiceDescription): string {
  if (service.scope === 'request') return 'per unit';
  if (service.scope === 'transient') return 'per use';
  return service.built ? 'yes' : 'no';
}

function toJson(service: ServiceDescription) {
  const { name, aliases, scope, tags, resettable, built, recipe } = service;
  return { id: name, aliases, scope, public: service.public, tags, resettable, built, recipe };
}

function parseCommandArgs(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], allowPositionals: true, options: { mode: { type: 'string', short: 'm' }, json: { type: 'boolean' } } });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${DEBUG_CONTAINER_USAGE}`, { exitCode: 2 });
  }
}

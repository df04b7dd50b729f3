/**
 * mocha loads spec files through `require` (tsx compiles them to CommonJS), but the bridge imports
 * activity modules with `import()`, the way it does in an app: two module graphs, so a class or
 * token imported statically here is not the one the bridge sees. Tests of the bridge therefore
 * load the bridge, the container and the fixtures through `import()` too, as one graph.
 */
import { join } from 'node:path';

export const TEMPORAL_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'temporal');

export async function loadTemporalModules() {
  const [bridge, container, config, services, greeting] = await Promise.all([
    import('../../../src/bridges/temporal/index.js'),
    import('../../../src/container/index.js'),
    import('../../../src/runtime/config/parse-runtime-config.js'),
    import('../../fixtures/temporal/services.js'),
    import('../../fixtures/temporal/greeting-activity.js'),
  ]);
  return { bridge, container, parseRuntimeConfig: config.parseRuntimeConfig, services, GreetingActivity: greeting.GreetingActivity };
}

export type TemporalModules = Awaited<ReturnType<typeof loadTemporalModules>>;

/** A container with the fixture's activity class, built from a config the way an app builds it. */
export async function fixtureContainer(modules: TemporalModules, worker: Record<string, unknown> = { activity: ['./greeting-activity.ts#GreetingActivity'] }) {
  const runtimeConfig = modules.parseRuntimeConfig({ temporal: { workers: { default: { taskQueue: 'unit', ...worker } } } });
  const bindings = await modules.bridge.temporalBindings({ runtimeConfig, projectDir: TEMPORAL_FIXTURES });
  return modules.container.createContainer({ services: modules.services.FIXTURE_SERVICES, bindings });
}

import { createRequire } from 'node:module';
import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { AdapterBinding, AdapterKey, ContainerAdapter } from './container-adapter.js';

const require = createRequire(import.meta.url);

/**
 * tsyringe 4. Loaded on first use, synchronously through `require` (it ships CommonJS), so apps on
 * the inversify default never load it, nor need the Reflect polyfill it refuses to start without.
 *
 * tsyringe rejects lifecycles on factory providers, so singletons cache in the factory's closure.
 * Registrations go into a child of tsyringe's global container: the only public constructor, and it
 * keeps our ids off the global registry.
 */
export function tsyringeAdapter(): ContainerAdapter {
  require('reflect-metadata');
  const tsyringe = require('tsyringe') as typeof import('tsyringe');
  const container = tsyringe.container.createChildContainer();
  const token = (key: AdapterKey) => key as InjectionToken<unknown>;
  return {
    name: 'tsyringe',
    bind(binding: AdapterBinding): void {
      const build = (c: DependencyContainer): unknown =>
        binding.create(
          ...binding.deps.map((dep) =>
            dep.optional && !c.isRegistered(token(dep.key), true) ? undefined : c.resolve(token(dep.key)),
          ),
        );
      let cached = false;
      let instance: unknown;
      const useFactory =
        binding.lifetime === 'transient'
          ? build
          : (c: DependencyContainer) => {
              if (!cached) {
                instance = build(c);
                cached = true;
              }
              return instance;
            };
      // A later registration of the same token wins in tsyringe, and takes the cache with it.
      container.register(token(binding.key), { useFactory });
    },
    get: (key) => container.resolve(token(key)),
    dispose: () => container.reset(),
  };
}

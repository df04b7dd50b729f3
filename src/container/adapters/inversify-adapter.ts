import { Container as InversifyContainer, type ServiceIdentifier } from 'inversify';
import type { AdapterBinding, AdapterKey, ContainerAdapter } from './container-adapter.js';

/**
 * inversify 8 (the default). Each recipe becomes `toResolvedValue(create, deps)`, so inversify
 * plans and caches the graph but never reads class metadata: our `@Inject` stays the single source.
 * `autobind` stays off: with child containers it has bound sub-dependencies into the wrong
 * container (inversify/monorepo#1444), and every id must be declared for the graph checks anyway.
 */
export function inversifyAdapter(): ContainerAdapter {
  const container = new InversifyContainer();
  const id = (key: AdapterKey) => key as ServiceIdentifier<unknown>;
  return {
    name: 'inversify',
    bind(binding: AdapterBinding): void {
      // Sync unbind is safe: we register no deactivation hooks, and the replaced instance must survive.
      if (container.isBound(id(binding.key))) container.unbind(id(binding.key));
      const deps = binding.deps.map((dep) =>
        dep.optional ? { serviceIdentifier: id(dep.key), optional: true as const } : id(dep.key),
      );
      const syntax = container.bind(id(binding.key)).toResolvedValue(binding.create, deps as never);
      if (binding.lifetime === 'singleton') syntax.inSingletonScope();
      else syntax.inTransientScope();
    },
    get: (key) => container.get(id(key)),
    dispose: () => container.unbindAll(),
  };
}

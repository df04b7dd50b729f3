import { ContainerConfigError, ServiceCreationError } from '../errors.js';
import type { Definition } from './definition.js';

/**
 * Runs a definition's recipe with its resolved dependencies. Only what the constructor or factory
 * itself throws is wrapped (naming the service); errors from resolving dependencies already name
 * theirs and pass through.
 */
export function instantiate(definition: Definition, args: readonly unknown[]): unknown {
  const recipe = definition.recipe;
  let instance: unknown;
  try {
    switch (recipe.kind) {
      case 'class':
        return new recipe.useClass(...args);
      case 'value':
        return recipe.value;
      case 'scope-value':
        throw new Error('scope values are supplied by the scope, never built');
      case 'native':
        throw new Error('native services are built by their vendor');
      case 'factory':
        instance = recipe.useFactory(...args);
    }
  } catch (error) {
    throw new ServiceCreationError(definition.name, error);
  }
  if (typeof (instance as PromiseLike<unknown> | undefined)?.then === 'function') {
    throw new ContainerConfigError(
      `the factory of "${definition.name}" returned a promise: resolution is synchronous, so await async setup before createContainer() and bind the result`,
    );
  }
  return instance;
}

import { CaptiveDependencyError, ContainerError, ScopeRequiredError, ServiceCreationError } from '../errors.js';
import { describeId } from '../service-id.js';
import type { Definition } from './definition.js';

/**
 * Makes an error from the vendor say what went wrong in our terms. A request-scoped id reached from
 * the root while building a singleton is a captive dependency the graph check could not see (a
 * dynamic value or factory resolving it at run time); while building a transient, the transient
 * needs a scope. Anything else a native registration throws names the service it was building.
 */
export function explainVendorError(definition: Definition, error: unknown): unknown {
  if (error instanceof ScopeRequiredError && error.id !== definition.key) {
    const chain = [`"${definition.name}"`, `"${describeId(error.id)}"`];
    return definition.scope === 'singleton' ? new CaptiveDependencyError(chain, true) : new ScopeRequiredError(definition.key, chain);
  }
  if (definition.recipe.kind === 'native' && !(error instanceof ContainerError)) return new ServiceCreationError(definition.name, error);
  return error;
}

import { CaptiveDependencyError, CircularDependencyError, MissingDependencyError } from '../errors.js';
import { describeId, type ServiceId } from '../service-id.js';
import { depsOf, type DependencyRef } from './definition.js';
import type { Registry } from './registry.js';

/**
 * Checks the whole graph from declared metadata, without building anything: every dependency is
 * registered (or optional), nothing depends on itself, and no singleton reaches a request-scoped
 * service (directly, through transients or singletons, or through aliases). The last check is
 * ours because inversify and tsyringe both let a singleton first resolved inside a request capture
 * that request's dependencies.
 *
 * Also records, on each transient whose graph reaches a request-scoped service, that chain: such a
 * transient can only be built inside a scope.
 */
export function validateGraph(registry: Registry): void {
  for (const definition of registry.definitions.values()) {
    for (const dep of depsOf(definition.recipe)) {
      if (!dep.optional && !registry.entries.has(dep.id)) throw new MissingDependencyError(definition.name, dep.where, dep.id);
    }
  }
  const walk = new RequestReach(registry);
  for (const definition of registry.definitions.values()) {
    const chain = walk.from(definition.key);
    if (definition.scope === 'singleton' && chain !== null) throw new CaptiveDependencyError(chain);
    definition.scopeChain = definition.scope === 'transient' && chain !== null ? chain : undefined;
  }
}

/** Depth-first walk answering "which chain leads from this service to a request-scoped one?". */
class RequestReach {
  private readonly memo = new Map<ServiceId, string[] | null>();
  private readonly path: ServiceId[] = [];

  constructor(private readonly registry: Registry) {}

  /** Printable hops from `key` to the first request-scoped service found, or null. */
  from(key: ServiceId): string[] | null {
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const cycleStart = this.path.indexOf(key);
    if (cycleStart !== -1) {
      throw new CircularDependencyError([...this.path.slice(cycleStart), key].map((id) => `"${describeId(id)}"`));
    }
    const definition = this.registry.definitions.get(key)!;
    // A request-scoped service is itself the end of a chain, but its own dependencies are still
    // walked: a cycle among request-scoped services would otherwise recurse forever at run time.
    let chain: string[] | null = definition.scope === 'request' ? [`"${definition.name}"`] : null;
    this.path.push(key);
    for (const dep of depsOf(definition.recipe)) {
      const depKey = this.registry.keyOf(dep.id);
      if (depKey === undefined) continue;
      const rest = this.from(depKey);
      if (rest !== null && chain === null) chain = [`"${definition.name}"`, hop(dep, depKey), ...rest.slice(1)];
    }
    this.path.pop();
    this.memo.set(key, chain);
    return chain;
  }
}

function hop(dep: DependencyRef, key: ServiceId): string {
  return dep.id === key ? `"${describeId(key)}"` : `"${describeId(dep.id)}" (alias of "${describeId(key)}")`;
}

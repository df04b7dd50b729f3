import type { ServiceId } from '../service-id.js';
import { depsOf } from './definition.js';
import type { Registry } from './registry.js';

/**
 * Every service that holds `key`, directly or through others, nearest first. Overrides use it to
 * evict singletons that captured the instance being replaced.
 */
export function dependentsOf(registry: Registry, key: ServiceId): ServiceId[] {
  const users = new Map<ServiceId, ServiceId[]>();
  for (const definition of registry.definitions.values()) {
    for (const dep of depsOf(definition.recipe)) {
      const depKey = registry.keyOf(dep.id);
      if (depKey === undefined) continue;
      const list = users.get(depKey);
      if (list === undefined) users.set(depKey, [definition.key]);
      else list.push(definition.key);
    }
  }
  const found: ServiceId[] = [];
  const seen = new Set<ServiceId>([key]);
  for (let queue = [key]; queue.length > 0; ) {
    const next: ServiceId[] = [];
    for (const current of queue) {
      for (const user of users.get(current) ?? []) {
        if (seen.has(user)) continue;
        seen.add(user);
        found.push(user);
        next.push(user);
      }
    }
    queue = next;
  }
  return found;
}

import { PrivateServiceError, ServiceNotFoundError } from '../errors.js';
import type { Resolver } from '../resolver.js';
import type { ServiceId, Tag, Token } from '../service-id.js';
import type { Registry } from './registry.js';

/**
 * The public lookups the root container and a request scope share: ids and aliases go through the
 * registry (public check included), then each side resolves the canonical key its own way.
 */
export abstract class RegistryResolver implements Resolver {
  protected readonly registry: Registry;

  protected constructor(registry: Registry) {
    this.registry = registry;
  }

  /** Resolves a canonical key, skipping the public check. */
  abstract resolveKey(key: ServiceId): unknown;

  get<T>(id: ServiceId<T>): T {
    const entry = this.registry.entries.get(id);
    if (entry === undefined) throw new ServiceNotFoundError(id);
    if (!entry.public) throw new PrivateServiceError(id);
    return this.resolveKey(entry.key) as T;
  }

  getOptional<T>(id: ServiceId<T>): T | undefined {
    return this.registry.entries.has(id) ? this.get(id) : undefined;
  }

  has(id: ServiceId): boolean {
    return this.registry.entries.get(id)?.public === true;
  }

  getTagged<T>(tag: Token<T>): T[];
  getTagged<T = unknown>(tag: Tag): T[];
  getTagged(tag: Tag): unknown[] {
    return (this.registry.tags.get(tag) ?? []).map((key) => this.resolveKey(key));
  }
}

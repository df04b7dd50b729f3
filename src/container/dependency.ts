import type { ServiceId } from './service-id.js';

/** A dependency that resolves to `undefined` when nothing is registered under its id. */
export interface OptionalDependency<T = unknown> {
  readonly id: ServiceId<T>;
  readonly optional: true;
}

/** What a factory binding's `inject` list holds: an id, or {@link optional}(id). */
export type Dependency<T = unknown> = ServiceId<T> | OptionalDependency<T>;

/** Marks a factory dependency optional (`@Optional()` does the same for constructor parameters). */
export function optional<T>(id: ServiceId<T>): OptionalDependency<T> {
  return { id, optional: true };
}

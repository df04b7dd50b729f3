import type { Dependency } from './dependency.js';
import type { Newable, ServiceId } from './service-id.js';

/**
 * A test replacement for a registered service. A value replaces it outright; a class or factory
 * keeps the original's scope (a request-scoped service stays one per scope). The replacement is
 * Resettable when the original was declared so, unless `resettable` says otherwise.
 */
export type Override<T> = (
  | { useValue: T }
  | { useClass: Newable<T> }
  | { useFactory: (...deps: any[]) => T; inject?: readonly Dependency[] }
) & { resettable?: boolean };

/** Undoes one {@link Container.override}. */
export interface OverrideHandle {
  /** The id that was overridden (an alias resolves to, and overrides, its target). */
  readonly id: ServiceId;
  /**
   * Puts the original binding back, and the singleton instances that existed before the override
   * (the overridden one and every singleton that depended on it). Idempotent.
   */
  restore(): void;
}

import type { ServiceId, Tag, Token } from './service-id.js';

/** What the root {@link Container} and a {@link RequestScope} both answer. */
export interface Resolver {
  /**
   * The instance registered as `id` (an id or alias). Throws `ServiceNotFoundError`,
   * `PrivateServiceError` for `public: false` services, and, from the root, `ScopeRequiredError`
   * for request-scoped ones.
   */
  get<T>(id: ServiceId<T>): T;
  /** Like {@link get}, but `undefined` when nothing is registered as `id`. */
  getOptional<T>(id: ServiceId<T>): T | undefined;
  /** True when `id` is registered and public (and, in a scope, also when the scope provides it). */
  has(id: ServiceId): boolean;
  /**
   * Instances of every service carrying `tag`, in registration order. Private services are
   * included: tagging is how they opt in to being collected.
   */
  getTagged<T>(tag: Token<T>): T[];
  getTagged<T = unknown>(tag: Tag): T[];
}

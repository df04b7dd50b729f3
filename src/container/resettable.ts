/**
 * A service that keeps per-unit-of-work state (buffers, an identity map, a "current" value) and
 * can put itself back into its initial, ready-to-use state. The worker resets every created
 * singleton that implements it after each unit of work ({@link ServicesResetter}). Prefer stateless
 * services; implement this when state is unavoidable.
 */
export interface Resettable {
  reset(): void | Promise<void>;
}

/**
 * True when `value` has a `reset()` method. TypeScript interfaces vanish at run time, so
 * implementing {@link Resettable} is recognised by shape, the way Symfony autoconfigures
 * `ResetInterface`.
 */
export function isResettable(value: unknown): value is Resettable {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { reset?: unknown }).reset === 'function'
  );
}

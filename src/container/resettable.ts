/**
 * A service that keeps per-unit-of-work state (buffers, an identity map, a "current" value) and
 * can put itself back into its initial, ready-to-use state. Prefer stateless services; implement
 * this when state is unavoidable, **and declare it**: `@Service({ resettable: true })` on the class,
 * or `resettable: true` on its binding. TypeScript interfaces vanish at run time, and a `reset()`
 * method alone never makes a service Resettable: a Redis client or a metrics counter has one too,
 * and resetting those after every request would lose a connection's state or the counts. Symfony
 * resets only services tagged `kernel.reset` for the same reason.
 *
 * After each unit of work the worker resets every declared singleton that was created
 * ({@link ServicesResetter}); `container.resettableIds()` lists the declared ones.
 */
export interface Resettable {
  reset(): void | Promise<void>;
}

/** True when `value` has a `reset()` method: checked where a service is declared Resettable. */
export function hasResetMethod(value: unknown): value is Resettable {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { reset?: unknown }).reset === 'function'
  );
}

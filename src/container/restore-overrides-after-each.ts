import type { Container } from './container.js';
import { ContainerConfigError } from './errors.js';

/** A test framework's `afterEach` (mocha's global by default). */
export type AfterEachHook = (fn: () => void) => void;

/**
 * Registers an `afterEach` that restores every override made on `container`, so one test's fakes
 * never reach the next. Call it inside a `describe` (mocha, and any framework with an `afterEach`).
 */
export function restoreOverridesAfterEach(container: Pick<Container, 'restoreOverrides'>, afterEach?: AfterEachHook): void {
  const hook = afterEach ?? (globalThis as { afterEach?: AfterEachHook }).afterEach;
  if (typeof hook !== 'function') {
    throw new ContainerConfigError('restoreOverridesAfterEach: no global afterEach here; pass your test framework\'s afterEach');
  }
  hook(() => container.restoreOverrides());
}

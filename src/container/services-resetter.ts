import type { Container } from './container.js';
import { ServicesResetError, type ServiceFailure } from './errors.js';
import type { Resettable } from './resettable.js';
import { describeId, type ServiceId } from './service-id.js';

/**
 * Puts per-unit-of-work state back after each unit (HTTP request, job, message), like Symfony's
 * `services_resetter`.
 *
 * Which services: singletons declared Resettable (`@Service({ resettable: true })` or
 * `resettable: true` on the binding) that the container has actually created, values included once
 * resolved. A `reset()` method alone is never called. Never-created services are skipped: nothing
 * is built just to be reset. Request-scoped and transient instances die with their scope or their
 * holder.
 */
export class ServicesResetter {
  readonly #container: Pick<Container, 'resettable'>;

  constructor(container: Pick<Container, 'resettable'>) {
    this.#container = container;
  }

  /**
   * Resets each service in creation order, awaiting async resets one by one. Keeps going when one
   * throws, then throws a {@link ServicesResetError} listing every failure: the worker should then
   * ask rr for a replacement, since state may have leaked.
   */
  reset(): Promise<void> {
    try {
      return this.resetNow() ?? RESOLVED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * {@link reset} without a promise while every reset is synchronous (the usual case, and the
   * per-unit hot path): returns `undefined` once done, or throws the {@link ServicesResetError}
   * at once; from the first reset that returns a promise on, returns a promise for the rest.
   */
  resetNow(): void | Promise<void> {
    const entries = this.#container.resettable.entries();
    let failures: ServiceFailure[] | undefined;
    for (let next = entries.next(); next.done !== true; next = entries.next()) {
      const [id, service] = next.value;
      try {
        const pending = service.reset();
        if (isThenable(pending)) return finishAsync(id, pending, entries, failures);
      } catch (error) {
        (failures ??= []).push({ id, service: describeId(id), error });
      }
    }
    if (failures !== undefined) throw new ServicesResetError(failures);
  }
}

const RESOLVED = Promise.resolve();

/** The rest of a reset once one service's reset() returned a promise: one by one, in order. */
async function finishAsync(
  id: ServiceId,
  pending: PromiseLike<void>,
  rest: Iterator<[ServiceId, Resettable]>,
  failures: ServiceFailure[] | undefined,
): Promise<void> {
  try {
    await pending;
  } catch (error) {
    (failures ??= []).push({ id, service: describeId(id), error });
  }
  for (let next = rest.next(); next.done !== true; next = rest.next()) {
    const [nextId, service] = next.value;
    try {
      const result = service.reset();
      if (isThenable(result)) await result;
    } catch (error) {
      (failures ??= []).push({ id: nextId, service: describeId(nextId), error });
    }
  }
  if (failures !== undefined) throw new ServicesResetError(failures);
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === 'function';
}

import type { Container } from './container.js';
import { ServicesResetError, type ServiceFailure } from './errors.js';
import { describeId } from './service-id.js';

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
  async reset(): Promise<void> {
    let failures: ServiceFailure[] | undefined;
    for (const [id, service] of this.#container.resettable) {
      try {
        const pending = service.reset();
        if (pending !== undefined) await pending;
      } catch (error) {
        (failures ??= []).push({ id, service: describeId(id), error });
      }
    }
    if (failures !== undefined) throw new ServicesResetError(failures);
  }
}

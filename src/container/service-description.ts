import type { ServiceScope } from './binding.js';
import type { ServiceId, Tag } from './service-id.js';

/**
 * One registered service as the container sees it: what `container.describeServices()` returns
 * and `roadrunner-runtime debug:container` prints.
 */
export interface ServiceDescription {
  /** The canonical id: instances are cached and reset under it. */
  readonly id: ServiceId;
  /** The id as messages print it: the class name, the token's description or the string. */
  readonly name: string;
  /** Other ids that resolve to the very same service (`@Service({ aliases })`, `useExisting`), printable. */
  readonly aliases: readonly string[];
  readonly scope: ServiceScope;
  /** `true`: resolvable with `get(id)`; `false`: private, it can only be injected. */
  readonly public: boolean;
  /** Its tags (`getTagged`), printable. */
  readonly tags: readonly string[];
  /** Declared Resettable (`@Service({ resettable: true })`, `resettable: true`): reset after every unit of work once built. */
  readonly resettable: boolean;
  /**
   * How it is made: `class Mailer`, `factory`, `value`, `scope value` (supplied by each unit of
   * work), or the vendor registration of a native service (`inversify toDynamicValue`...).
   */
  readonly recipe: string;
  /**
   * Whether the root holds its instance now: a singleton created so far (by `boot()` or a first
   * use) or a value handed in. Always `false` for request-scoped and transient services, which the
   * root never keeps: each scope or injection builds its own.
   */
  readonly built: boolean;
}

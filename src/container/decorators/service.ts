import type { ServiceScope } from '../binding.js';
import { ContainerConfigError } from '../errors.js';
import type { AbstractNewable, ServiceId, Tag } from '../service-id.js';
import { checkResettableClass, setServiceMetadata } from './class-metadata.js';

/** Options of {@link Service}. */
export interface ServiceOptions {
  /**
   * The id to register under, e.g. a string like `cache.adapter.rr_kv.local`. Default: the class.
   * With an explicit id the class stays resolvable too, as an alias.
   */
  id?: ServiceId;
  /** Lifetime of one instance; default `singleton`. See {@link ServiceScope}. */
  scope?: ServiceScope;
  /** More ids that resolve to the same instance. */
  aliases?: readonly ServiceId[];
  /** Tags for `getTagged(tag)`. */
  tags?: readonly Tag[];
  /** `false`: only injectable into other services, `get(id)` refuses it. Default `true`. */
  public?: boolean;
  /**
   * Declares the class {@link Resettable}: its `reset()` runs after every unit of work once an
   * instance exists. Singletons only (request-scoped and transient instances are never reused).
   * Default `false`: a `reset()` method alone is never called.
   */
  resettable?: boolean;
}

const SCOPES: readonly ServiceScope[] = ['singleton', 'request', 'transient'];

/**
 * Registers how the container builds this class when it is listed in
 * `createContainer({ services })`. Every constructor parameter also needs `@Inject(token)`.
 *
 * ```ts
 * @Service({ scope: 'request' })
 * class CurrentUser {
 *   constructor(@Inject(HTTP_REQUEST) private readonly request: Request) {}
 * }
 *
 * @Service({ resettable: true }) // reset() runs after every unit of work
 * class Metrics implements Resettable {
 *   hits = 0;
 *   reset() { this.hits = 0; }
 * }
 * ```
 */
export function Service(options: ServiceOptions = {}): (target: AbstractNewable) => void {
  const scope = options.scope ?? 'singleton';
  return (target) => {
    if (!SCOPES.includes(scope)) {
      throw new ContainerConfigError(`@Service on "${target.name}": scope must be one of ${SCOPES.join(', ')}, got "${String(scope)}"`);
    }
    const resettable = options.resettable ?? false;
    if (resettable) checkResettableClass(target, scope, `@Service on "${target.name}"`);
    setServiceMetadata(target, {
      id: options.id,
      scope,
      aliases: options.aliases ?? [],
      tags: options.tags ?? [],
      public: options.public ?? true,
      resettable,
    });
  };
}

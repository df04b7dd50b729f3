import type { ServiceScope } from '../binding.js';
import type { Newable, ServiceId, Tag } from '../service-id.js';

/** One dependency of a class or factory, as declared. */
export interface DependencyRef {
  readonly id: ServiceId;
  readonly optional: boolean;
  /** Where it was declared, for messages: `constructor parameter #1`, `inject[0]`. */
  readonly where: string;
}

/** How a definition produces its instance. */
export type Recipe =
  | { readonly kind: 'class'; readonly useClass: Newable; readonly deps: readonly DependencyRef[] }
  | { readonly kind: 'factory'; readonly useFactory: (...deps: any[]) => unknown; readonly deps: readonly DependencyRef[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'scope-value' };

/** The container's normalised view of one service, whatever registered it. */
export interface Definition {
  /** Canonical id: instances are cached, tracked and bound in the vendor under this key. */
  readonly key: ServiceId;
  /** Printable key. */
  readonly name: string;
  readonly scope: ServiceScope;
  readonly recipe: Recipe;
  readonly tags: readonly Tag[];
  /** What registered it, for duplicate-id messages. */
  readonly origin: string;
  /** Declared Resettable: a singleton reset after every unit of work. */
  readonly resettable: boolean;
  /**
   * Set on a transient whose graph reaches a request-scoped service: the printable chain. Such a
   * transient can only be built inside a scope, by the scope's own resolver. Recomputed by graph
   * validation, since overrides can change it.
   */
  scopeChain: readonly string[] | undefined;
}

/** How an id (canonical or alias) maps to a definition. */
export interface Entry {
  readonly key: ServiceId;
  readonly public: boolean;
}

/** Dependencies of a recipe (none for values and scope values). */
export function depsOf(recipe: Recipe): readonly DependencyRef[] {
  return recipe.kind === 'class' || recipe.kind === 'factory' ? recipe.deps : NO_DEPS;
}

const NO_DEPS: readonly DependencyRef[] = Object.freeze([]);

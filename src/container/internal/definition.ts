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
  | { readonly kind: 'scope-value' }
  | NativeRecipe;

/**
 * A registration the user made in their own vendor container, built by the vendor. `deps` are what
 * its registration declares, `undefined` when only running it would tell (dynamic values,
 * factories): the graph checks cannot follow those.
 */
export interface NativeRecipe {
  readonly kind: 'native';
  /** `inversify toDynamicValue`, `tsyringe useClass`... */
  readonly registration: string;
  readonly deps: readonly DependencyRef[] | undefined;
  /** Built by the vendor (ours to dispose), not a value or an alias. */
  readonly owned: boolean;
  /** Several registrations under one id, for the vendor's multi-injection: never built by `boot()`. */
  readonly multiple: boolean;
}

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

/** Dependencies of a recipe (none for values and scope values, the visible ones for native services). */
export function depsOf(recipe: Recipe): readonly DependencyRef[] {
  return recipe.kind === 'class' || recipe.kind === 'factory' ? recipe.deps : recipe.kind === 'native' ? (recipe.deps ?? NO_DEPS) : NO_DEPS;
}

/**
 * A native transient whose dependencies nobody can see: it may reach request-scoped services, so a
 * scope builds it inside its own unit of work (where it gets the unit's instances) rather than
 * taking it from the root.
 */
export function isOpaqueNativeTransient(definition: Definition): boolean {
  return definition.scope === 'transient' && definition.recipe.kind === 'native' && definition.recipe.deps === undefined;
}

const NO_DEPS: readonly DependencyRef[] = Object.freeze([]);

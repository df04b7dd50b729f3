declare const tokenType: unique symbol;

/**
 * A typed symbol naming a service that has no class of its own (an interface, a config object, a
 * function). It is a real `symbol` at run time, so vendors take it as is; the phantom type lets
 * `container.get(token)` return `T` without a cast.
 */
export type Token<T> = symbol & { readonly [tokenType]?: T };

/** A class that can be constructed with resolved dependencies. */
export type Newable<T = unknown> = new (...args: any[]) => T;

/** Any class, abstract ones included: abstract classes make good ids for interfaces with a default. */
export type AbstractNewable<T = unknown> = abstract new (...args: any[]) => T;

/**
 * What a service is registered and resolved by: a class, a typed {@link Token}, or a plain string
 * or symbol (string ids such as `cache.adapter.rr_kv.local` come from helpers, not inline literals).
 */
export type ServiceId<T = unknown> = Token<T> | AbstractNewable<T> | string | symbol;

/** A tag grouping services (event listeners...); a {@link Token} tag types what `getTagged` returns. */
export type Tag<T = unknown> = Token<T> | string | symbol;

/** Makes a typed token; `description` is what error messages show. */
export function createToken<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

/** The name error messages use for an id: the class name, the token description or the string. */
export function describeId(id: ServiceId | Tag): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'symbol') return id.description ?? id.toString();
  return id.name === '' ? '<anonymous class>' : id.name;
}

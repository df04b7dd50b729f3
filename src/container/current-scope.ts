import { NoActiveScopeError } from './errors.js';
import { scopeStorage } from './internal/scope-storage.js';
import type { RequestScope } from './request-scope.js';

/**
 * The scope whose `run()` the calling code is inside, however deep and however many awaits later.
 * Throws {@link NoActiveScopeError} outside one.
 */
export function currentScope(): RequestScope {
  const scope = scopeStorage.getStore();
  if (scope === undefined) throw new NoActiveScopeError();
  return scope;
}

/** Like {@link currentScope}, but `undefined` outside a scope (for code that also runs at boot). */
export function findCurrentScope(): RequestScope | undefined {
  return scopeStorage.getStore();
}

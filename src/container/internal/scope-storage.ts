import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestScope } from '../request-scope.js';

const STORAGE = Symbol.for('roadrunner-runtime.container.scopeStorage');

/**
 * The async context carrying the current scope. Kept on a `globalThis` symbol (the Temporal SDK's
 * trick for `Context.current()`) so that duplicate copies of this package in one process still
 * see each other's scopes. It holds no request data itself: each `run()` binds its own store.
 */
export const scopeStorage: AsyncLocalStorage<RequestScope> = ((globalThis as { [STORAGE]?: AsyncLocalStorage<RequestScope> })[
  STORAGE
] ??= new AsyncLocalStorage<RequestScope>());

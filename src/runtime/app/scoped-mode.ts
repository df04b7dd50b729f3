import { ServicesResetter, type Container, type RequestScope, type ScopeValues } from '../../container/index.js';
import { UNIT_OF_WORK } from '../tokens.js';
import type { UnitOfWork } from '../worker/unit-of-work.js';
import type { ModeContext, ModeWorker } from './define-app.js';

/** Options of {@link scopedMode}. */
export interface ScopedModeOptions {
  /** The application's container. `boot()` is called here, so singletons exist before the first unit. */
  container: Container;
  /**
   * true: the container's singletons are not built here but on the first unit (before its scope
   * opens), so the worker answers rr's handshake sooner. Default false.
   */
  lazyBoot?: boolean | undefined;
  /** Serves one unit inside its own scope; `currentScope()` returns that scope in any code it calls. */
  handle(unit: UnitOfWork, scope: RequestScope): Promise<void>;
  /**
   * Values bound in each unit's scope (the decoded request, the job...), declared in the container
   * as `{ id, fromScope: true }`. The unit itself is bound as `UNIT_OF_WORK` when declared.
   */
  scopeValues?(unit: UnitOfWork): ScopeValues;
  /** Runs when the worker stops, before the container is disposed. */
  shutdown?(): Promise<void>;
}

/**
 * One unit of work = one scope = one reset: wraps a mode's handler so each unit runs in a fresh
 * request scope, and after the reply the created `Resettable` singletons are reset and the scope
 * is disposed. A failed reset asks rr for a fresh worker (state may have leaked); a failed disposal
 * is logged.
 */
export function scopedMode(context: ModeContext, options: ScopedModeOptions): ModeWorker {
  const { container } = options;
  let booted = options.lazyBoot !== true;
  if (booted) container.boot();
  const resetter = new ServicesResetter(container);
  const scopes = new WeakMap<UnitOfWork, RequestScope>();
  const providesUnit = container.has(UNIT_OF_WORK);

  return {
    container,
    async handle(unit) {
      if (!booted) {
        container.boot();
        booted = true;
      }
      const values: Array<readonly [unknown, unknown]> = providesUnit ? [[UNIT_OF_WORK, unit]] : [];
      if (options.scopeValues) values.push(...options.scopeValues(unit));
      const scope = container.createScope(values as ScopeValues);
      scopes.set(unit, scope);
      await scope.run(() => options.handle(unit, scope));
    },

    async afterUnit(unit) {
      let replaceWorker = false;
      try {
        await resetter.reset();
      } catch (error) {
        context.log(`roadrunner-runtime: resetting services failed, asking rr to replace this worker: ${describe(error)}`);
        await context.reportError(error);
        replaceWorker = true;
      }
      const scope = scopes.get(unit);
      if (scope) {
        scopes.delete(unit);
        try {
          await scope.dispose();
        } catch (error) {
          context.log(`roadrunner-runtime: disposing the unit's scope failed: ${describe(error)}`);
        }
      }
      return { replaceWorker };
    },

    async shutdown() {
      try {
        await options.shutdown?.();
      } finally {
        await container.dispose();
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

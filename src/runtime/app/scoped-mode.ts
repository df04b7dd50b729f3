import { ServicesResetter, SETTLED, type Container, type RequestScope, type ScopeValues } from '../../container/index.js';
import { UNIT_OF_WORK } from '../tokens.js';
import type { UnitOfWork } from '../worker/unit-of-work.js';
import type { AfterUnitResult } from '../worker/worker.js';
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

  /** A failed reset: logged and reported, then the scope is disposed and rr asked for a fresh worker. */
  async function resetFailed(error: unknown, scope: RequestScope | undefined): Promise<AfterUnitResult> {
    context.log(`roadrunner-runtime: resetting services failed, asking rr to replace this worker: ${describe(error)}`);
    await context.reportError(error);
    return dispose(scope, true);
  }

  function dispose(scope: RequestScope | undefined, replaceWorker: boolean): AfterUnitResult | Promise<AfterUnitResult> {
    const result = replaceWorker ? REPLACE : KEEP;
    if (scope === undefined) return result;
    const failed = (error: unknown): AfterUnitResult => {
      context.log(`roadrunner-runtime: disposing the unit's scope failed: ${describe(error)}`);
      return result;
    };
    let disposing: Promise<void>;
    try {
      disposing = scope.dispose();
    } catch (error) {
      return failed(error);
    }
    // A scope that built nothing disposable is done already (the common case): no turn to wait.
    return disposing === SETTLED ? result : disposing.then(() => result, failed);
  }

  return {
    container,
    // handle and afterUnit are not async functions: per unit, each promise and await costs time
    // (and AsyncLocalStorage's hooks run for every promise), so they add none of their own
    // while everything is synchronous. Failures still come out as rejections.
    handle(unit) {
      try {
        if (!booted) {
          container.boot();
          booted = true;
        }
        const values: Array<readonly [unknown, unknown]> = providesUnit ? [[UNIT_OF_WORK, unit]] : [];
        if (options.scopeValues) values.push(...options.scopeValues(unit));
        const scope = container.createScope(values as ScopeValues);
        scopes.set(unit, scope);
        return scope.run(() => options.handle(unit, scope));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    afterUnit(unit) {
      const scope = scopes.get(unit);
      if (scope) scopes.delete(unit);
      let resetting: void | Promise<void>;
      try {
        resetting = resetter.resetNow();
      } catch (error) {
        return resetFailed(error, scope);
      }
      if (resetting === undefined) return dispose(scope, false);
      return resetting.then(
        () => dispose(scope, false),
        (error: unknown) => resetFailed(error, scope),
      );
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

const KEEP: AfterUnitResult = Object.freeze({ replaceWorker: false });
const REPLACE: AfterUnitResult = Object.freeze({ replaceWorker: true });

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

import type { ModeContext, ModeFactory, ModeWorker } from '../../runtime/app/define-app.js';
import type { UnitOfWork } from '../../runtime/worker/unit-of-work.js';
import { flushSentry } from './flush-sentry.js';
import { loadSentry } from './load-sentry.js';
import { assertSentryModule, type SentryModule, type SentryScope } from './sentry-module.js';
import { resolveSentryOptions, type ResolvedSentryOptions, type SentryOptions } from './sentry-options.js';
import { unitEventProcessor } from './unit-event-processor.js';

/** `mechanism.type` of the events this bridge captures, so they can be told apart in Sentry. */
export const SentryMechanism = {
  /** The mode's handler threw (the unit was answered with an ERROR frame). */
  unit: 'auto.roadrunner.unit',
  /** The mode handled the error itself and reported it (`ModeContext.reportError`: an HTTP 500...). */
  reported: 'auto.roadrunner.reported',
  /** The mode's `afterUnit` threw (terminate, reset or scope disposal). */
  afterUnit: 'auto.roadrunner.after_unit',
  /** The mode factory threw: the worker answers every unit with this error until replaced. */
  boot: 'auto.roadrunner.boot',
  /** The mode's `shutdown` threw. */
  shutdown: 'auto.roadrunner.shutdown',
} as const;

/** The isolation and current scope a unit's `handle` ran in, re-entered for its `afterUnit`. */
interface UnitScopes {
  readonly isolation: SentryScope;
  readonly current: SentryScope;
}

/**
 * Reports one worker mode to Sentry. Wrap the factory of each mode (or the whole app with
 * `withSentryApp`):
 *
 * - **One isolation scope per unit of work.** Each unit's `handle` runs in a fresh
 *   `Sentry.withIsolationScope`, and its `afterUnit` re-enters that same scope, so tags, user,
 *   context and breadcrumbs set while serving one request or job are on its events only and never
 *   on the next unit's. (PHP workers push/pop a scope per request and still leak whatever lands
 *   on the hub outside it.) The mode factory (boot, HTTP warm-up) also runs in a scope of its own.
 *   Put process-wide data on `Sentry.getGlobalScope()` or in `Sentry.init({ initialScope })`.
 * - **Capture, once each:** errors the mode reports through `context.reportError` (HTTP 500s),
 *   errors its `handle` or `afterUnit` throws (unless rr stopped the unit: the client left), a
 *   factory that throws (then a flush, since the worker may never stop cleanly) and a failing
 *   `shutdown`. Every event carries the tag `rr.mode` and a `roadrunner` context (mode, worker pid,
 *   rr version); HTTP events add the method and URL, jobs events the job's id/name/pipeline. Bodies,
 *   cookies, headers and query strings stay out unless {@link SentryOptions.httpRequest} asks.
 * - **Flush on stop:** after the mode's own `shutdown`, waits for queued events, at most
 *   {@link SentryOptions.flushTimeout} ms.
 *
 * `@sentry/node` is an optional peer: it is used as given in `options.sentry`, or imported when
 * the mode boots; nothing here imports it at module load.
 *
 * @throws {SentryOptionsError} at once, for an invalid option.
 */
export function withSentry(factory: ModeFactory, options: SentryOptions = {}): ModeFactory {
  if (typeof factory !== 'function') throw new TypeError('withSentry(factory): factory must be a mode factory function');
  const resolved = resolveSentryOptions(options);
  return async (context) => {
    const sentry = resolved.sentry ? assertSentryModule(resolved.sentry) : await loadSentry();
    if (sentry.getClient() === undefined) {
      context.log('roadrunner-runtime: withSentry: Sentry.init() has not run in this process, so nothing will be reported; initialise it in a module loaded with node --import');
    }
    return new SentryModeRunner(sentry, context, resolved).boot(factory);
  };
}

/** The per-mode state of {@link withSentry}: the SDK, the mode's labels, and each unit's scopes. */
class SentryModeRunner {
  // Keyed by the unit and dropped in afterUnit: no unit's scope outlives it, and nothing per
  // request lives at module level.
  private readonly scopes = new WeakMap<UnitOfWork, UnitScopes>();
  private readonly roadrunner: Record<string, unknown>;

  constructor(
    private readonly sentry: SentryModule,
    private readonly context: ModeContext,
    private readonly options: ResolvedSentryOptions,
  ) {
    this.roadrunner = { mode: context.mode, worker_pid: process.pid, rr_version: context.env['RR_VERSION'] };
  }

  async boot(factory: ModeFactory): Promise<ModeWorker> {
    const { context } = this;
    // The mode reports errors it handled itself through here: captured in whatever scope is
    // active (the unit's), then passed on to the app's WorkerErrorEvent listeners as before.
    const reportingContext: ModeContext = {
      ...context,
      reportError: async (error) => {
        this.capture(error, SentryMechanism.reported);
        await context.reportError(error);
      },
    };
    // Boot (and the HTTP warm-up request) gets a scope of its own, so whatever it sets cannot
    // become the parent of every unit's scope. No phase tag on the scope itself: timers started
    // here keep this scope for the life of the process.
    const inner = await this.sentry.withIsolationScope(async (scope) => {
      this.label(scope);
      try {
        return await factory(reportingContext);
      } catch (error) {
        this.capture(error, SentryMechanism.boot, { 'rr.phase': 'boot' });
        // A worker that failed to boot answers every unit with the error until rr replaces it,
        // which may be a kill: deliver the report now.
        await this.flush('after the boot failure');
        throw error;
      }
    });
    return this.wrap(inner);
  }

  private wrap(inner: ModeWorker): ModeWorker {
    return {
      handle: (unit) =>
        this.sentry.withIsolationScope(async (isolation) => {
          this.scopes.set(unit, { isolation, current: this.sentry.getCurrentScope() });
          this.label(isolation);
          const processor = unitEventProcessor(this.context.mode, unit, this.options);
          if (processor) isolation.addEventProcessor(processor);
          try {
            await inner.handle(unit);
          } catch (error) {
            // A unit rr stopped (the client went away) is not a failure; the worker ignores it too.
            if (!unit.stopped) this.capture(error, SentryMechanism.unit);
            throw error;
          }
        }),

      afterUnit: async (unit) => {
        const scopes = this.scopes.get(unit);
        this.scopes.delete(unit);
        if (!inner.afterUnit) return;
        const run = async () => {
          try {
            return await inner.afterUnit!(unit);
          } catch (error) {
            this.capture(error, SentryMechanism.afterUnit);
            throw error;
          }
        };
        // Terminate and reset belong to the unit: their reports carry its tags and breadcrumbs.
        return scopes ? this.sentry.withIsolationScope(scopes.isolation, () => this.sentry.withScope(scopes.current, run)) : run();
      },

      shutdown: async () => {
        try {
          await inner.shutdown?.();
        } catch (error) {
          this.capture(error, SentryMechanism.shutdown, { 'rr.phase': 'shutdown' });
          throw error;
        } finally {
          await this.flush('when the worker stopped');
        }
      },
    };
  }

  private label(scope: SentryScope): void {
    scope.setTag('rr.mode', this.context.mode);
    scope.setContext('roadrunner', this.roadrunner);
  }

  private capture(error: unknown, mechanism: string, tags?: Record<string, string>): void {
    try {
      this.sentry.captureException(error, { mechanism: { type: mechanism, handled: false }, ...(tags ? { captureContext: { tags } } : {}) });
    } catch (captureError) {
      // Reporting must never change how the unit is answered.
      this.context.log(`roadrunner-runtime: withSentry: capturing an error failed: ${describe(captureError)}`);
    }
  }

  private async flush(when: string): Promise<void> {
    const timeout = this.options.flushTimeout;
    if (timeout === 0) return;
    if (!(await flushSentry(this.sentry, timeout))) {
      this.context.log(`roadrunner-runtime: withSentry: Sentry did not deliver every event within flushTimeout (${timeout} ms) ${when}; some may be lost`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

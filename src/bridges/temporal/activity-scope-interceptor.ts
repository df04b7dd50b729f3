import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Container } from '../../container/index.js';
import { classifyActivityFailure, type ActivityFailureKind } from './activity-failure.js';
import type { IdleResetter } from './idle-resetter.js';
import { ACTIVITY_CONTEXT } from './tokens.js';

/** What {@link activityScopeInterceptor} needs. */
export interface ActivityScopeOptions {
  /** The app's container: each call gets a scope of it. */
  container: Container;
  /** Resets the declared Resettable singletons once no call is running. */
  resetter: IdleResetter;
  /** Diagnostics sink (stderr under rr). */
  log(message: string): void;
  /** Called once per failed call (not for cancellations), e.g. to capture it in Sentry. Must not throw. */
  report?(error: unknown, context: Context, kind: ActivityFailureKind): void;
  /**
   * Wraps each whole call, e.g. in a Sentry isolation scope so what the activity sets on Sentry
   * stays with that call.
   */
  around?<T>(call: () => Promise<T>): Promise<T>;
  /** Called when resetting the services failed: their state is unknown, the process should be replaced. */
  onResetFailure(error: unknown): void;
}

/**
 * The SDK activity interceptor that makes activities container services: every call runs in a
 * fresh scope of the container, with the call's SDK `Context` bound as `ACTIVITY_CONTEXT` (so its
 * `cancellationSignal`, `heartbeat` and `info` reach the services), and ends with the scope
 * disposed and the declared Resettable singletons reset. Failures are logged (and reported) with
 * whether Temporal will retry them; the error itself goes back to the SDK unchanged.
 */
export function activityScopeInterceptor(options: ActivityScopeOptions): ActivityInterceptorsFactory {
  const { container, resetter, log } = options;
  const around = options.around ?? ((call) => call());
  return (context) => ({
    inbound: {
      execute: (input, next) =>
        around(async () => {
          await resetter.enter();
          try {
            const scope = container.createScope([[ACTIVITY_CONTEXT, context]]);
            try {
              return await scope.run(() => next(input));
            } catch (error) {
              reportFailure(error, context, options);
              throw error;
            } finally {
              await scope.dispose().catch((error: unknown) => log(`disposing the scope of activity ${describeCall(context)} failed: ${describe(error)}`));
            }
          } finally {
            await resetter.exit().catch((error: unknown) => options.onResetFailure(error));
          }
        }),
    },
  });
}

function reportFailure(error: unknown, context: Context, options: ActivityScopeOptions): void {
  if (context.cancellationSignal.aborted) {
    options.log(`activity ${describeCall(context)} was cancelled (${messageOf(context.cancellationSignal.reason)})`);
    return;
  }
  const kind = classifyActivityFailure(error, context.info);
  const outcome = kind.willRetry ? 'Temporal will retry it' : kind.retryable ? 'no attempts left' : 'non-retryable, Temporal will not retry it';
  options.log(`activity ${describeCall(context)} failed (${outcome}): ${messageOf(error)}`);
  options.report?.(error, context, kind);
}

/** `greet (workflow greetingWorkflow greeting-42, attempt 2)`: ids only, never arguments. */
export function describeCall(context: Context): string {
  const { info } = context;
  const workflow = info.workflowExecution === undefined ? '' : `workflow ${info.workflowType ?? '?'} ${info.workflowExecution.workflowId}, `;
  return `${info.activityType} (${workflow}attempt ${info.attempt})`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

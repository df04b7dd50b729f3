import type { Context } from '@temporalio/activity';
import type { SentryModule } from '../sentry/sentry-module.js';
import type { ActivityFailureKind } from './activity-failure.js';
import type { ActivityScopeOptions } from './activity-scope-interceptor.js';

/** `mechanism.type` of the activity failures captured in Sentry. */
export const TEMPORAL_ACTIVITY_MECHANISM = 'auto.roadrunner.temporal.activity';

/**
 * Sentry for activity calls: each call runs in its own isolation scope (tags, user and
 * breadcrumbs set by the activity stay on its events), and each failure is captured once, tagged
 * with the activity, workflow, task queue, attempt and whether Temporal will retry it
 * (`temporal.retryable`, `temporal.will_retry`). Arguments and results are never attached.
 */
export function sentryActivityReporting(sentry: SentryModule, log: (message: string) => void): Pick<ActivityScopeOptions, 'around' | 'report'> {
  return {
    around: (call) => sentry.withIsolationScope(() => call()),
    report(error: unknown, context: Context, kind: ActivityFailureKind) {
      const { info } = context;
      const tags: Record<string, string> = {
        'rr.mode': 'temporal',
        'temporal.activity_type': info.activityType,
        'temporal.task_queue': info.taskQueue,
        'temporal.attempt': String(info.attempt),
        'temporal.retryable': String(kind.retryable),
        'temporal.will_retry': String(kind.willRetry),
      };
      if (info.workflowType !== undefined) tags['temporal.workflow_type'] = info.workflowType;
      if (info.workflowExecution !== undefined) tags['temporal.workflow_id'] = info.workflowExecution.workflowId;
      try {
        sentry.captureException(error, { mechanism: { type: TEMPORAL_ACTIVITY_MECHANISM, handled: false }, captureContext: { tags } });
      } catch (captureError) {
        // Reporting must never change what the activity returns to Temporal.
        log(`capturing an activity failure in Sentry failed: ${captureError instanceof Error ? captureError.message : String(captureError)}`);
      }
    },
  };
}

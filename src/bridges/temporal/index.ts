/**
 * Temporal workers configured like the Symfony bundle's (`temporal.workers.NAME.{taskQueue,
 * workflow, activity}`), on the official Temporal TypeScript SDK: activities are container
 * services built in a fresh scope per call, workflows stay in the SDK's sandbox, a
 * `TEMPORAL_CLIENT` binding starts and awaits workflows from HTTP handlers, jobs or listeners, and
 * the worker process runs beside the HTTP pool under rr's `service` plugin. The `@temporalio/*`
 * packages are optional peers, loaded only when this bridge is used.
 *
 * ```yaml
 * # roadrunner.yaml
 * temporal:
 *   address: ${TEMPORAL_ADDRESS:-127.0.0.1:7233}
 *   workers:
 *     default:
 *       taskQueue: greetings
 *       workflow: ["./temporal/greeting-workflow.ts#greetingWorkflow"]
 *       activity: ["./temporal/greeting-activity.ts#GreetingActivity"]
 * ```
 *
 * ```ts
 * // temporal/greeting-activity.ts: one activity per method, a fresh instance per call
 * export class GreetingActivity {
 *   constructor(@Inject(Greeter) private readonly greeter: Greeter,
 *               @Inject(ACTIVITY_CONTEXT) private readonly activity: Context) {}
 *   async composeGreeting(name: string): Promise<string> {
 *     this.activity.heartbeat();                                  // cancellation: this.activity.cancellationSignal
 *     return this.greeter.greet(name);
 *   }
 * }
 *
 * // temporal/greeting-workflow.ts: plain SDK workflow code, no container
 * const { composeGreeting } = proxyActivities<GreetingActivity>({ startToCloseTimeout: '10s' });
 * export async function greetingWorkflow(name: string): Promise<string> {
 *   return composeGreeting(name);
 * }
 *
 * // app.ts
 * const runtimeConfig = await loadRuntimeConfig({ projectDir: HERE });
 * const container = createContainer({
 *   services: [Greeter, GreetingController],
 *   bindings: [...(await temporalBindings({ runtimeConfig, projectDir: HERE })), ...],
 * });
 * // in a handler: await container.get(TEMPORAL_CLIENT).execute(greetingWorkflow, { workflowId, args: ['Ada'] })
 * export default defineApp({ modes: { http: httpMode({ container }) } });
 * export const temporal = temporalWorkers({ container });   // run by the Temporal worker entry
 * ```
 *
 * ```yaml
 * # .rr.yaml
 * service:
 *   temporal:
 *     command: "node node_modules/roadrunner-runtime/dist/bridges/temporal/bin/temporal-worker.js dist/app.js"
 *     remain_after_exit: true
 *     restart_sec: 1
 *     timeout_stop_sec: 10
 * ```
 *
 * @module
 */
export { temporalBindings, type TemporalBindingsOptions } from './temporal-bindings.js';
export {
  isTemporalWorkerApp,
  temporalWorkers,
  type TemporalRunOptions,
  type TemporalWorkerApp,
  type TemporalWorkerOptions,
  type TemporalWorkersOptions,
} from './temporal-workers.js';
export { DEFAULT_TEMPORAL_EXPORT, runTemporalWorkerProcess, type TemporalWorkerProcessOptions } from './run-temporal-worker-process.js';
export { TemporalClient, type StartedWorkflow, type StartWorkflowOptions, type TemporalClientOptions } from './temporal-client.js';
export { ACTIVITY_CONTEXT, activityContextBinding, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from './tokens.js';
export { activityScopeInterceptor, type ActivityScopeOptions } from './activity-scope-interceptor.js';
export { containerActivities, type ActivityFunction } from './container-activities.js';
export { classifyActivityFailure, type ActivityFailureKind } from './activity-failure.js';
export { IdleResetter } from './idle-resetter.js';
export { activityMethodNames, type ActivityClass } from './activity-class.js';
export type { ModuleReference } from './module-reference.js';
export type { TemporalConnectionSettings, TemporalSettings, TemporalTls, TemporalWorkerSettings } from './temporal-settings.js';
export { TEMPORAL_ACTIVITY_MECHANISM } from './sentry-activity-reporting.js';
export {
  TemporalClientError,
  TemporalConfigError,
  TemporalConnectionError,
  TemporalEntryError,
  TemporalError,
  TemporalExportNotFoundError,
  TemporalModuleNotFoundError,
  TemporalNotInstalledError,
  TemporalQueryError,
  TemporalWorkflowAlreadyStartedError,
  TemporalWorkflowBundleError,
  TemporalWorkflowFailedError,
  TemporalWorkflowNotFoundError,
} from './errors.js';

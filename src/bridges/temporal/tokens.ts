import type { Context } from '@temporalio/activity';
import { createToken, type ScopeValueBinding, type Token } from '../../container/index.js';
import type { TemporalClient } from './temporal-client.js';
import type { TemporalSettings } from './temporal-settings.js';

/**
 * The Temporal client, a singleton: start, signal, query and await workflows from HTTP handlers,
 * jobs or listeners. It connects on first use, so the container builds without a server.
 */
export const TEMPORAL_CLIENT: Token<TemporalClient> = createToken<TemporalClient>('temporal.client');

/**
 * The running activity's SDK `Context`, in the scope of each activity call: `info` (attempt,
 * workflow, heartbeat details of the last attempt), `heartbeat(details)`, `cancellationSignal`
 * (aborted when the activity is cancelled, times out or the worker shuts down), `cancelled`,
 * `sleep(ms)`, `log`. Request-scoped: only request-scoped services (activity classes are) can
 * inject it.
 */
export const ACTIVITY_CONTEXT: Token<Context> = createToken<Context>('temporal.activity_context');

/** The resolved `temporal:` config (connection and workers) that `temporalWorkers()` runs. */
export const TEMPORAL_SETTINGS: Token<TemporalSettings> = createToken<TemporalSettings>('temporal.settings');

/** Declares {@link ACTIVITY_CONTEXT} as a value each activity call's scope supplies. */
export const activityContextBinding: ScopeValueBinding<Context> = { id: ACTIVITY_CONTEXT, fromScope: true };

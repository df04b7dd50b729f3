import { InvalidSentryModuleError } from './errors.js';

/**
 * The slice of `@sentry/node` (v10 or v11) this bridge calls, written out structurally so that no
 * file here names the optional peer in a type or an import: apps without Sentry type-check and
 * load unchanged. The real module namespace (`import * as Sentry from '@sentry/node'`) satisfies it.
 */
export interface SentryModule {
  /** Runs `callback` in a fork of the current isolation scope (and current scope). */
  withIsolationScope<T>(callback: (isolationScope: SentryScope) => T): T;
  /** Runs `callback` with `isolationScope` active: how a unit's scope is re-entered for `afterUnit`. */
  withIsolationScope<T>(isolationScope: SentryScope | undefined, callback: (isolationScope: SentryScope) => T): T;
  /** Runs `callback` with `scope` as the current scope. */
  withScope<T>(scope: SentryScope | undefined, callback: (scope: SentryScope) => T): T;
  /** The active current scope (the one `withIsolationScope` forked alongside the isolation scope). */
  getCurrentScope(): SentryScope;
  /** Sends one error event; returns its id. Captures an error object only once (the SDK marks it). */
  captureException(exception: unknown, hint?: SentryCaptureHint): string;
  /** Waits until queued events were sent, at most `timeout` ms; resolves false on timeout. */
  flush(timeout?: number): PromiseLike<boolean>;
  /** The client `Sentry.init` created, or undefined when it has not run in this process. */
  getClient(): unknown;
}

/** The scope methods this bridge uses (tags and context of a unit, a lazy event processor). */
export interface SentryScope {
  setTag(key: string, value: string): unknown;
  setContext(name: string, context: { [key: string]: unknown } | null): unknown;
  addEventProcessor(processor: (event: SentryEvent) => SentryEvent | null): unknown;
}

/** The event fields this bridge fills in. */
export interface SentryEvent {
  request?: SentryRequestData;
  contexts?: { [name: string]: { [key: string]: unknown } | undefined };
}

/** Sentry's `request` interface, restricted to what the HTTP details may contain. */
export interface SentryRequestData {
  method?: string;
  url?: string;
  /** We only ever write a string; the SDK's type also allows a map or pairs. */
  query_string?: string | { [key: string]: string } | Array<[string, string]>;
  headers?: { [key: string]: string };
}

/** The capture hint this bridge passes: how the error was caught, plus extra tags. */
export interface SentryCaptureHint {
  mechanism?: { type: string; handled?: boolean };
  captureContext?: { tags?: { [key: string]: string } };
}

const REQUIRED = ['withIsolationScope', 'withScope', 'getCurrentScope', 'captureException', 'flush', 'getClient'] as const;

/**
 * Checks that `value` has every function of {@link SentryModule}; throws
 * {@link InvalidSentryModuleError} naming the missing ones. A default import of an ESM namespace
 * (`{ default: ... }`) is unwrapped, since `import()` of the CJS build yields one.
 */
export function assertSentryModule(value: unknown): SentryModule {
  const candidate = hasAll(value) ? value : hasAll((value as { default?: unknown } | null)?.default) ? (value as { default: unknown }).default : value;
  const missing = REQUIRED.filter((name) => typeof (candidate as Record<string, unknown> | null)?.[name] !== 'function');
  if (missing.length > 0) throw new InvalidSentryModuleError(missing);
  return candidate as SentryModule;
}

function hasAll(value: unknown): boolean {
  return typeof value === 'object' && value !== null && REQUIRED.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

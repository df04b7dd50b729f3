import { SentryNotInstalledError } from './errors.js';
import { assertSentryModule, type SentryModule } from './sentry-module.js';

/** The optional peer this bridge reports through. */
export const SENTRY_PACKAGE = '@sentry/node';

/**
 * Imports the Sentry SDK when the integration boots, never at module load, so an app that does not
 * configure Sentry needs no `@sentry/node` at all. Resolves to the same module instance the app's
 * `instrument.mjs` initialised (ESM caches one instance per process).
 *
 * @param specifier the package to import; `@sentry/node` unless a test or a wrapper SDK says otherwise.
 * @throws {SentryNotInstalledError} when the package itself cannot be found.
 * @throws {InvalidSentryModuleError} when it lacks a function this bridge calls.
 */
export async function loadSentry(specifier: string = SENTRY_PACKAGE): Promise<SentryModule> {
  let loaded: unknown;
  try {
    // A variable specifier keeps TypeScript from resolving the optional peer's types here.
    loaded = await import(specifier);
  } catch (error) {
    if (isNotFound(error, specifier)) throw new SentryNotInstalledError(specifier, { cause: error });
    // The package exists but failed to load (a broken install, an engine mismatch): its own error says more.
    throw error;
  }
  return assertSentryModule(loaded);
}

function isNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${specifier}'`);
}

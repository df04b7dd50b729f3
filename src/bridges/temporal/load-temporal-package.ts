import { TemporalNotInstalledError } from './errors.js';

/** The Temporal SDK packages this bridge imports, all optional peers. */
export type TemporalPackage = '@temporalio/client' | '@temporalio/worker' | '@temporalio/activity';

/**
 * Imports one of the Temporal SDK packages when the bridge needs it, never at module load, so an
 * app that does not use Temporal needs none of them installed.
 *
 * @throws {TemporalNotInstalledError} when the package itself cannot be found.
 */
export async function loadTemporalPackage<T>(name: TemporalPackage): Promise<T> {
  // A variable specifier keeps TypeScript from resolving the optional peer here; callers name
  // the module type they expect with a type-only import.
  const specifier: string = name;
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    if (isNotFound(error, specifier)) throw new TemporalNotInstalledError(name, { cause: error });
    // The package exists but failed to load (a broken install, a missing native binary): its own
    // error says more.
    throw error;
  }
}

function isNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${specifier}'`);
}

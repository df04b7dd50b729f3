import { RuntimeError } from '../../runtime/errors.js';

/**
 * The Sentry integration is configured (`withSentry`) but `@sentry/node` cannot be imported: it is
 * an optional peer dependency, so apps that do not use Sentry never install it. Thrown at boot,
 * which makes the worker answer its units with this message instead of serving unreported.
 */
export class SentryNotInstalledError extends RuntimeError {
  /** The module specifier that failed to import. */
  readonly specifier: string;

  constructor(specifier: string, options?: { cause?: unknown }) {
    super(
      'ERR_SENTRY_NOT_INSTALLED',
      `the Sentry integration is configured but ${specifier} cannot be imported; install it (npm install ${specifier}) and initialise it with node --import ./instrument.mjs, or remove withSentry()`,
      options,
    );
    this.specifier = specifier;
  }
}

/**
 * The value given as (or imported as) the Sentry SDK lacks a function the integration calls, e.g.
 * a default import (`import Sentry from '@sentry/node'`) or a mock object was passed where the
 * module namespace (`import * as Sentry from '@sentry/node'`) is expected.
 */
export class InvalidSentryModuleError extends RuntimeError {
  /** The functions that were missing. */
  readonly missing: readonly string[];

  constructor(missing: readonly string[]) {
    super(
      'ERR_SENTRY_MODULE',
      `the Sentry SDK given to withSentry() lacks ${missing.join(', ')}; pass the module namespace: import * as Sentry from '@sentry/node'`,
    );
    this.missing = missing;
  }
}

/** An option of `withSentry` has a value it cannot use; the message names the option and what was expected. */
export class SentryOptionsError extends RuntimeError {
  /** The option's name, e.g. `flushTimeout`. */
  readonly option: string;

  constructor(option: string, expected: string, got: unknown) {
    super('ERR_SENTRY_OPTIONS', `withSentry(): ${option} must be ${expected}, got ${describe(got)}`);
    this.option = option;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

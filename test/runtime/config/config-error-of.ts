import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/runtime/errors.js';

/** Runs `action` and returns the ConfigError it threw or rejected with; fails the test otherwise. */
export async function configErrorOf(action: () => unknown): Promise<ConfigError> {
  let outcome: unknown;
  try {
    await action();
  } catch (error) {
    outcome = error;
  }
  expect(outcome, 'expected a ConfigError').to.be.instanceOf(ConfigError);
  return outcome as ConfigError;
}

/** Absolute path of a fixture under test/fixtures/config. */
export function fixture(...parts: string[]): string {
  return fileURLToPath(new URL(`../../fixtures/config/${parts.join('/')}`, import.meta.url));
}

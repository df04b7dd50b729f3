import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { TemporalConfigError, TemporalModuleNotFoundError } from './errors.js';

/**
 * A workflow or activity named in `temporal.workers`: `<module>#<export>`, where `<module>` is a
 * path relative to the project dir (`./temporal/workflows.ts`), an absolute path, or a package
 * specifier (`@acme/workflows`), and `#<export>` names one export (optional).
 */
export interface ModuleReference {
  /** The reference as written in the config. */
  readonly reference: string;
  /** Its config key path, e.g. `temporal.workers.default.workflow[0]`. */
  readonly path: string;
  /** The module's absolute file path. */
  readonly module: string;
  /** The export after `#`, or undefined when the reference has none. */
  readonly exportName: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Parses a reference and finds its module on disk. Paths resolve against `projectDir`; package
 * specifiers resolve from it the way `require.resolve` does.
 *
 * @throws {TemporalConfigError} for a malformed reference (empty module, an export name that is
 *   not an identifier).
 * @throws {TemporalModuleNotFoundError} when the module does not exist.
 */
export function resolveModuleReference(reference: string, path: string, projectDir: string): ModuleReference {
  const hash = reference.lastIndexOf('#');
  const specifier = (hash === -1 ? reference : reference.slice(0, hash)).trim();
  const exportName = hash === -1 ? undefined : reference.slice(hash + 1).trim();
  if (specifier === '') {
    throw new TemporalConfigError(path, `"${reference}" names no module; expected "<module>#<export>", e.g. "./temporal/workflows.ts#greetingWorkflow"`);
  }
  if (exportName !== undefined && !IDENTIFIER.test(exportName)) {
    throw new TemporalConfigError(path, `"${reference}": "${exportName}" after # is not an export name (a JavaScript identifier)`);
  }
  return { reference, path, module: locate(specifier, reference, path, projectDir), exportName };
}

function locate(specifier: string, reference: string, path: string, projectDir: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const file = resolve(projectDir, specifier);
    if (!isFile(file)) throw new TemporalModuleNotFoundError(path, reference, file);
    return file;
  }
  try {
    return createRequire(join(projectDir, 'package.json')).resolve(specifier);
  } catch (cause) {
    throw new TemporalModuleNotFoundError(path, reference, `${specifier} (resolved from ${projectDir})`, { cause });
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

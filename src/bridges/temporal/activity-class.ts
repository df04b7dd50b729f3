import { pathToFileURL } from 'node:url';
import type { Newable } from '../../container/index.js';
import { TemporalConfigError, TemporalExportNotFoundError } from './errors.js';
import type { ModuleReference } from './module-reference.js';

/** An activity class named in `temporal.workers.NAME.activity`, with the activities it provides. */
export interface ActivityClass {
  /** Where the config named it. */
  readonly reference: ModuleReference;
  /** The class: its own container id. */
  readonly type: Newable;
  /** Its activity names: the methods on its prototype chain (see {@link activityMethodNames}). */
  readonly methods: readonly string[];
}

/**
 * Imports the module of an activity reference and checks its export is a class with at least one
 * method. The module is imported by file URL, so an app that imports it too shares the same class.
 *
 * @throws {TemporalConfigError} when the module fails to load, or the export is not a class or has no methods.
 * @throws {TemporalExportNotFoundError} when the module has no such export.
 */
export async function loadActivityClass(reference: ModuleReference): Promise<ActivityClass> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(reference.module).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new TemporalConfigError(reference.path, `"${reference.reference}": importing ${reference.module} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const exportName = reference.exportName ?? 'default';
  if (!(exportName in loaded) || loaded[exportName] === undefined) {
    throw new TemporalExportNotFoundError(reference.path, {
      reference: reference.reference,
      module: reference.module,
      exportName,
      available: Object.keys(loaded),
    });
  }
  const type = loaded[exportName];
  if (typeof type !== 'function' || type.prototype === undefined) {
    throw new TemporalConfigError(reference.path, `"${reference.reference}": the export "${exportName}" is not a class (got ${describe(type)})`);
  }
  const methods = activityMethodNames(type as Newable);
  if (methods.length === 0) {
    throw new TemporalConfigError(reference.path, `"${reference.reference}": class ${type.name} has no methods to register as activities`);
  }
  return { reference, type: type as Newable, methods };
}

/**
 * The activities a class provides: every method on its prototype chain (inherited ones included,
 * up to `Object.prototype`), except the constructor, getters and setters, and names starting
 * with `_` (helpers kept out of the workflow-facing API).
 */
export function activityMethodNames(type: Newable): string[] {
  const names = new Set<string>();
  for (let proto = type.prototype as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor === undefined || descriptor.get !== undefined || descriptor.set !== undefined) continue;
      if (typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names];
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function without a prototype';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

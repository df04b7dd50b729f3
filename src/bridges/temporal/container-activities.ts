import { currentScope } from '../../container/index.js';
import type { ActivityClass } from './activity-class.js';

/** An activity as the SDK's `Worker.create({ activities })` takes it. */
export type ActivityFunction = (...args: unknown[]) => Promise<unknown>;

/**
 * The SDK's activities object for a worker: one function per method of each activity class,
 * named after the method. Each call resolves the class in the scope its interceptor opened for
 * that call (`currentScope()`), so every call gets a fresh instance with its own dependencies.
 */
export function containerActivities(activities: readonly ActivityClass[]): Record<string, ActivityFunction> {
  const functions: Record<string, ActivityFunction> = {};
  for (const { type, methods } of activities) {
    for (const method of methods) {
      const activity: ActivityFunction = async (...args) => {
        const instance = currentScope().get(type) as Record<string, (...args: unknown[]) => unknown>;
        return instance[method]!(...args);
      };
      // Stack traces and the SDK's logs then show which class the activity came from.
      Object.defineProperty(activity, 'name', { value: `${type.name}.${method}` });
      functions[method] = activity;
    }
  }
  return functions;
}

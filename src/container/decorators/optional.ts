import { annotateParameter } from './class-metadata.js';

/** With `@Inject(id)`: the parameter receives `undefined` when nothing is registered as `id`. */
export function Optional(): (target: object, propertyKey: string | symbol | undefined, index: number) => void {
  return (target, propertyKey, index) => annotateParameter(target, propertyKey, index, '@Optional', { optional: true });
}

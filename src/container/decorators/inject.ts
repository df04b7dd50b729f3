import type { ServiceId } from '../service-id.js';
import { annotateParameter } from './class-metadata.js';

/**
 * Names what a constructor parameter receives. Required on every parameter: tsx and esbuild emit no
 * parameter type metadata, so the container never guesses.
 */
export function Inject(id: ServiceId): (target: object, propertyKey: string | symbol | undefined, index: number) => void {
  return (target, propertyKey, index) => annotateParameter(target, propertyKey, index, '@Inject', { id });
}

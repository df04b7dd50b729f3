import type { z as zodNamespace } from 'zod';
import { lazyModule } from '../lazy-module.js';

const loadZod = lazyModule<typeof import('zod')>('zod');

/**
 * zod's `z`, loaded on the first schema built: a worker without a config file or config in code
 * never loads zod (see `lazyModule`). Call it inside the function that builds a schema.
 */
export function zod(): typeof zodNamespace {
  return loadZod().z;
}

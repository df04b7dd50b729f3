import { createToken, type ScopeValueBinding } from '../container/index.js';
import type { UnitOfWork } from './worker/unit-of-work.js';

/** The unit of work being served, in its scope. Declare it with {@link unitOfWorkBinding} to inject it. */
export const UNIT_OF_WORK = createToken<UnitOfWork>('roadrunner.unit_of_work');

/** Declares {@link UNIT_OF_WORK} as a value each unit's scope supplies. */
export const unitOfWorkBinding: ScopeValueBinding<UnitOfWork> = { id: UNIT_OF_WORK, fromScope: true };

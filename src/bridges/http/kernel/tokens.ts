import { createToken, type RequestScope, type ScopeValueBinding } from '../../../container/index.js';
import type { Kernel } from '../../../runtime/kernel.js';

/** The HTTP kernel binding. Bind your own (a `RouterKernel`, `fetchKernel(honoApp)`, ...) under it. */
export const HTTP_KERNEL = createToken<Kernel<RequestScope>>('http.kernel');

/** The Fetch `Request` being served, in its request scope. */
export const HTTP_REQUEST = createToken<Request>('http.request');

/** Declares {@link HTTP_REQUEST} as a value each request's scope supplies, so services can inject it. */
export const httpRequestBinding: ScopeValueBinding<Request> = { id: HTTP_REQUEST, fromScope: true };

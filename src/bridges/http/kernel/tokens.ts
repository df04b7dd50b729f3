import { createToken, type RequestScope, type ScopeValueBinding } from '../../../container/index.js';
import type { Kernel } from '../../../runtime/kernel.js';
import type { RequestContext } from '../request/request-context.js';

/** The HTTP kernel binding. Bind your own (a `RouterKernel`, `fetchKernel(honoApp)`, ...) under it. */
export const HTTP_KERNEL = createToken<Kernel<RequestScope>>('http.kernel');

/** The Fetch `Request` being served, in its request scope. */
export const HTTP_REQUEST = createToken<Request>('http.request');

/**
 * What the Fetch `Request` cannot carry: the client address through trusted proxies, the peer,
 * protocol, rr attributes, the parsed form and uploads.
 */
export const REQUEST_CONTEXT = createToken<RequestContext>('http.request_context');

/** Declares {@link HTTP_REQUEST} as a value each request's scope supplies, so services can inject it. */
export const httpRequestBinding: ScopeValueBinding<Request> = { id: HTTP_REQUEST, fromScope: true };

/** Declares {@link REQUEST_CONTEXT} as a value each request's scope supplies. */
export const requestContextBinding: ScopeValueBinding<RequestContext> = { id: REQUEST_CONTEXT, fromScope: true };

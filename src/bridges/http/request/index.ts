/**
 * The request side of the HTTP bridge: rr's `http.v1.Request` to a Fetch `Request` and a
 * {@link RequestContext} (client address through trusted proxies, forms and uploads rebuilt).
 *
 * @module
 */
export { createRequestMapper } from './request-mapper.js';
export type { HttpRequestOptions, MappedHttpRequest, RequestMapper } from './request-mapper.js';
export { UploadedFile } from './request-context.js';
export type { FormTree, FormValue, RequestContext, UploadNode, UploadTree } from './request-context.js';
export { flattenFormTree } from './flatten-form-tree.js';
export { rebuildFormBody } from './rebuild-form-body.js';
export { readUploads } from './read-uploads.js';
export type { ReadUploads, UploadReading } from './read-uploads.js';
export { UploadError, uploadErrorMessage } from './upload-error.js';
export { DEFAULT_TRUSTED_HEADERS, PRIVATE_RANGES, TrustedProxies } from './trusted-proxies.js';
export type { ProxyResolution, TrustedHeader, TrustedProxyOptions } from './trusted-proxies.js';
export { parseForwardedHeader } from './parse-forwarded-header.js';
export type { ForwardedElement } from './parse-forwarded-header.js';
export { parseHopAddress } from './parse-hop-address.js';
export type { IpAddress } from './parse-hop-address.js';
export { headersFromMessage } from './headers-from-message.js';

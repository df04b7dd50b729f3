/**
 * Early router initialization sends one request through the kernel at boot. It is recognisable
 * with {@link isWarmupRequest} (the documented "dummy request attribute"): a WeakSet membership,
 * not a header, so a client can never forge it.
 */
const warmupRequests = new WeakSet<Request>();

/** The URL of the warm-up request: the kernel's routing for `/` is what gets initialised. */
export const WARMUP_URL = 'http://localhost/';

/** Creates the warm-up request. */
export function createWarmupRequest(): Request {
  const request = new Request(WARMUP_URL, { headers: { 'user-agent': 'roadrunner-runtime early router initialization' } });
  warmupRequests.add(request);
  return request;
}

/** True for the request early router initialization sends at boot; listeners can skip work for it. */
export function isWarmupRequest(request: Request): boolean {
  return warmupRequests.has(request);
}

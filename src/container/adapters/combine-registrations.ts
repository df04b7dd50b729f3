import type { AdapterKey, NativeService } from './container-adapter.js';

/**
 * One service from one or several registrations; several are `multiple`, and a singleton as soon
 * as one of them is (so the captive check holds each to the strictest rule).
 */
export function combineRegistrations(key: AdapterKey, described: readonly NativeService[]): NativeService {
  if (described.length === 1) return described[0]!;
  return {
    key,
    lifetime: described.some((d) => d.lifetime === 'singleton') ? 'singleton' : 'transient',
    registration: [...new Set(described.map((d) => d.registration))].join(' + '),
    deps: described.some((d) => d.deps === undefined) ? undefined : described.flatMap((d) => d.deps!),
    owned: described.some((d) => d.owned),
    multiple: true,
  };
}

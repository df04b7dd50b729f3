import type { JobHeaders } from './proto/jobs-v1.js';

/** Headers as callers give them: one value or several per name. */
export type JobHeadersInput = Readonly<Record<string, string | readonly string[]>>;

/**
 * Copies `headers` into rr's shape (`name -> string[]`), in a prototype-less object so a header
 * named `__proto__` stays a header. `fail(problem)` builds the error thrown for anything that is not
 * a string or a list of strings.
 */
export function normalizeHeaders(headers: JobHeadersInput | undefined, fail: (problem: string) => Error): JobHeaders {
  const result = Object.create(null) as JobHeaders;
  if (headers === undefined) return result;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw fail(`headers must be an object of strings or string lists, got ${headers === null ? 'null' : Array.isArray(headers) ? 'a list' : typeof headers}`);
  }
  for (const [name, value] of Object.entries(headers)) {
    const values = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
      throw fail(`header ${JSON.stringify(name)} must be a string or a list of strings`);
    }
    result[name] = [...values];
  }
  return result;
}

import type { z } from 'zod';
import { zod } from './zod.js';
import { suggestKey } from './suggest-key.js';

/**
 * Building blocks for config schemas. Each one carries the phrase an error shows after
 * "expected" (`expected a boolean, got "yes"`), so messages speak about config, not about zod.
 */

/** A plain mapping: an object that is neither null nor a list. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A mapping with a fixed set of keys. Any other key is reported (together with every other problem
 * in the same parse, not one at a time) as `unknown key`, with a "did you mean" hint when a known
 * key is close, because a silently ignored typo in `lazy_boot` is a production incident.
 *
 * @param hints extra advice for specific unknown keys, appended to their message.
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape, hints: Readonly<Record<string, string>> = {}) {
  const z = zod();
  const known = Object.keys(shape);
  // looseObject keeps unknown keys in the value so the refinement can see them (a strict object
  // would stop at the first one with no hint), and `when` makes it run even when a known key
  // already failed, so one run lists every problem.
  return z.looseObject(shape, { error: 'a mapping' }).superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        ctx.addIssue({ code: 'custom', path: [key], input: value[key], message: unknownKeyMessage(key, known, hints[key]) });
      }
    },
    { when: (payload) => isMapping(payload.value) },
  );
}

function unknownKeyMessage(key: string, known: readonly string[], hint: string | undefined): string {
  const guess = suggestKey(key, known);
  let message = 'unknown key';
  if (guess !== undefined) message += `; did you mean "${guess}"?`;
  if (hint !== undefined) message += `; ${hint}`;
  return `${message} (known keys: ${known.length === 0 ? 'none' : known.join(', ')})`;
}

/**
 * A boolean. The strings `true` and `false` (any case) are accepted too, because `${FLAG:-false}`
 * expands to a string; anything else (`yes`, `1`, `on`) is an error rather than a guess.
 */
export function flag() {
  const z = zod();
  return z.preprocess(
    (value) => (typeof value === 'string' && /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === 'true' : value),
    z.boolean({ error: 'a boolean' }),
  );
}

/** A non-empty string; `expected` replaces the default phrase in messages. */
export function text(expected = 'a non-empty string') {
  return zod().string({ error: expected }).min(1);
}

/** A mapping from free-form names to `entry`; non-string values are reported per name. */
export function namedMap<Entry extends z.ZodType>(entry: Entry, expected = 'a mapping of names to entries') {
  const z = zod();
  return z.record(z.string(), entry, { error: expected });
}

import type { FormTree, FormValue } from './request-context.js';

/**
 * Turns rr's form tree back into PHP bracket-key pairs, the inverse of rr's parsing:
 * `{a: {b: ['1', '2']}, c: 'x'}` gives `a[b][]=1`, `a[b][]=2`, `c=x`. An array of strings becomes
 * repeated `name[]` keys; an array holding groups gets explicit indexes (`name[0][k]`), because
 * `name[][k]` would start a new element for every key; an object key `""` (from `a[][b]`) becomes
 * `[]` again. Numbers and booleans (never sent by rr) become strings and `null` an empty string.
 */
export function flattenFormTree(tree: FormTree): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(tree)) push(pairs, key, value);
  return pairs;
}

function push(pairs: Array<[string, string]>, name: string, value: FormValue | null | number | boolean): void {
  if (value === null || typeof value !== 'object') {
    pairs.push([name, value === null ? '' : String(value)]);
  } else if (Array.isArray(value)) {
    const items = value as readonly FormValue[];
    const indexed = items.some((item) => item !== null && typeof item === 'object');
    items.forEach((item, index) => push(pairs, indexed ? `${name}[${index}]` : `${name}[]`, item));
  } else {
    for (const [key, child] of Object.entries(value as FormTree)) push(pairs, `${name}[${key}]`, child);
  }
}

import { TestWorkerError } from './errors.js';

/** rr's `MaxLevel`: deeper keys are dropped. */
const MAX_LEVEL = 127;

/** A node of rr's form or uploads tree. */
export type RrTree<Leaf> = { [key: string]: RrTree<Leaf> | Leaf | Leaf[] };

/**
 * Builds the tree rr's http plugin makes of a form (`handler/parse.go`, `dataTree.push`/`mount`
 * and `fileTree` for uploads), so the worker gets exactly the `parsed` body rr would send: PHP
 * bracket keys (`a[b][]=1`), spaces in keys ignored, a plain key keeping its **last** value (an
 * upload its first), `key[]` keeping all values. No library parses brackets rr's way (`qs` keeps
 * repeated plain keys as arrays and caps array indexes), hence this port.
 *
 * @param single how a plain key picks its one value: rr takes the last form value, the first file.
 * @throws TestWorkerError where rr refuses the form (a key used both as a value and as a branch).
 */
export function rrFormTree<Leaf>(entries: Iterable<readonly [string, Leaf[]]>, single: 'last' | 'first'): RrTree<Leaf> {
  const tree: RrTree<Leaf> = {};
  for (const [key, values] of entries) {
    const keys = fetchIndexes(key);
    if (keys.length <= MAX_LEVEL) mount(tree, keys, values, single);
  }
  return tree;
}

/** rr's `fetchIndexes`: `a[b][]` -> `['a', 'b', '']`; spaces are dropped. */
function fetchIndexes(name: string): string[] {
  const keys = [''];
  let pos = 0;
  for (const ch of name) {
    if (ch === ' ') continue;
    if (ch === '[') {
      pos = 1;
      continue;
    }
    if (ch === ']') {
      if (pos === 1) keys.push('');
      pos = 2;
      continue;
    }
    if (pos === 1 || pos === 2) keys.push('');
    keys[keys.length - 1] += ch;
    pos = 0;
  }
  return keys;
}

function mount<Leaf>(tree: RrTree<Leaf>, keys: string[], values: Leaf[], single: 'last' | 'first'): void {
  if (keys.length === 0) return;
  const key = keys[0]!;
  if (prepareNode(tree, keys, values)) return;
  if (keys.length === 2 && keys[1] === '') {
    tree[key] = values;
    return;
  }
  if (keys.length === 1) {
    tree[key] = values.length > 0 ? (single === 'last' ? values[values.length - 1]! : values[0]!) : values;
    return;
  }
  if (!isBranch(tree[key])) tree[key] = {};
  mount(tree[key] as RrTree<Leaf>, keys.slice(1), values, single);
}

/** rr's `prepareTreeNode`: true when the value is to be skipped. */
function prepareNode<Leaf>(tree: RrTree<Leaf>, keys: string[], values: Leaf[]): boolean {
  const key = keys[0]!;
  if (!Object.hasOwn(tree, key)) {
    tree[key] = {};
    return false;
  }
  const existing = tree[key];
  const branch = isBranch(existing);
  const existingEmpty = isEmpty(existing);
  const incomingEmpty = isEmpty(values);
  const leafIncoming = keys.length === 1 || (keys.length === 2 && keys[1] === '');
  if (!branch) {
    if (!existingEmpty) {
      if (keys.length > 1 && keys[1] !== '') throw invalidMultipleValues(key);
      if (incomingEmpty) return true;
    }
    if (existingEmpty && !incomingEmpty) {
      tree[key] = {};
      return false;
    }
  }
  if (branch && leafIncoming) {
    if (!incomingEmpty) throw invalidMultipleValues(key);
    return true;
  }
  return false;
}

// A branch is a plain object made by `mount` (rr's map type); leaves are strings, upload records or arrays.
function isBranch(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype && !('tmpName' in value);
}

function isEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value.length === 0;
  if (Array.isArray(value)) return value.length === 0 || (value.length === 1 && (value[0] === '' || value[0] === null || value[0] === undefined));
  return value === null || value === undefined;
}

function invalidMultipleValues(key: string): TestWorkerError {
  return new TestWorkerError(`rr would refuse this form: invalid multiple values to key '${key}' in tree (a key is used both as a value and as a branch)`);
}

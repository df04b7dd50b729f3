/** Options of {@link jsonChunks}. */
export interface JsonChunksOptions {
  /**
   * Characters gathered before a chunk is handed on. Small values mean more frames, large values
   * more memory; a single value longer than this (one huge string) still goes out whole.
   * Default 16 KiB.
   */
  flushSize?: number | undefined;
}

/**
 * What the synchronous walker asks its async driver for. Walking synchronously and suspending only
 * for these keeps the cost per value low (no promise per item of a 100k-item list).
 */
type Step =
  | { readonly op: 'flush' }
  | { readonly op: 'await'; readonly value: PromiseLike<unknown> }
  | { readonly op: 'next'; readonly iterator: AsyncIterator<unknown> };

type Walker = Generator<Step, void, unknown>;

/** Output gathered since the last flush, and the objects on the path being walked (cycle check). */
interface WalkState {
  text: string;
  readonly flushSize: number;
  readonly path: Set<object>;
}

const FLUSH: Step = Object.freeze({ op: 'flush' });
/** Values a small object may hold to be handed to JSON.stringify whole (see {@link stringifyIfPlain}). */
const PLAIN_BUDGET = 256;
const DEFAULT_FLUSH_SIZE = 16 * 1024;

/**
 * Encodes a value as JSON text, chunk by chunk, without ever holding the whole text: what
 * `JSON.stringify` would produce, extended to values that arrive over time.
 *
 * - Arrays, and any other iterable or async iterable (a generator, a `Set`, a `ReadableStream`, a
 *   Node object-mode `Readable`), are written as JSON arrays, item by item, as they are produced.
 *   A `Map` is an iterable of `[key, value]` pairs, so it becomes an array of pairs.
 * - Promises (and thenables) are awaited where they stand: `{ total: count(), items: rows() }`.
 * - Otherwise `JSON.stringify` rules: `toJSON(key)` is honoured, `undefined`, functions and
 *   symbols are left out of objects and become `null` in arrays, non-finite numbers become `null`,
 *   a BigInt or a cycle throws a `TypeError`. A top-level value that has no JSON form gives `null`.
 *
 * Stopping the iteration early (the client went away) closes every iterator still open, so the
 * generators feeding it run their `finally`.
 */
export async function* jsonChunks(value: unknown, options: JsonChunksOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const state: WalkState = { text: '', flushSize: options.flushSize ?? DEFAULT_FLUSH_SIZE, path: new Set() };
  const walker = writeTop(value, state);
  let input: unknown;
  try {
    for (;;) {
      const step = walker.next(input);
      if (step.done) break;
      input = undefined;
      const request = step.value;
      if (request.op === 'flush') {
        const text = state.text;
        state.text = '';
        yield Buffer.from(text, 'utf8');
      } else if (request.op === 'await') {
        input = await request.value;
      } else {
        input = await request.iterator.next();
      }
    }
    if (state.text.length > 0) yield Buffer.from(state.text, 'utf8');
  } finally {
    // On an early stop or an error: runs the walker's `finally` blocks, which close open iterators.
    walker.return();
  }
}

function* writeTop(value: unknown, state: WalkState): Walker {
  let resolved = applyToJSON(value, '');
  if (isThenable(resolved)) resolved = yield* settle(resolved, '');
  if (isOmitted(resolved)) state.text += 'null';
  else yield* writeResolved(resolved, state);
}

/**
 * Applies `toJSON` and awaits promises until a plain value is left. Callers take the synchronous
 * path themselves when `applyToJSON` gives no thenable (most values), so no generator is created.
 */
function* settle(value: PromiseLike<unknown>, key: string): Generator<Step, unknown, unknown> {
  let current: unknown = value;
  while (isThenable(current)) current = applyToJSON(yield { op: 'await', value: current }, key);
  return current;
}

function applyToJSON(value: unknown, key: string | number): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON.call(value, String(key));
  }
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Values JSON has no form for: left out of objects, `null` in arrays. */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Writes a value already settled (`toJSON` applied, promises awaited) and known not to be omitted. */
function* writeResolved(value: unknown, state: WalkState): Walker {
  if (writeInline(value, state)) return;
  const object = value as object;
  if (state.path.has(object)) throw new TypeError('cannot stream a circular structure as JSON');
  state.path.add(object);
  try {
    if (Array.isArray(object)) yield* writeSyncItems(object, state);
    else if (Symbol.asyncIterator in object) yield* writeAsyncItems(object as AsyncIterable<unknown>, state);
    else if (Symbol.iterator in object) yield* writeSyncItems(object as Iterable<unknown>, state);
    else yield* writeObject(object as Record<string, unknown>, state);
  } finally {
    state.path.delete(object);
  }
}

/**
 * Writes a settled, non-omitted value at once when no walk is needed: a primitive (JSON.stringify
 * has the exact rules: escaping, NaN -> null, BigInt -> TypeError) or a small tree of plain data.
 * Returns false, having written nothing, for anything that needs {@link writeResolved}.
 */
function writeInline(value: unknown, state: WalkState): boolean {
  if (typeof value !== 'object' || value === null) {
    state.text += JSON.stringify(value);
    return true;
  }
  const plain = stringifyIfPlain(value);
  if (plain === undefined) return false;
  state.text += plain;
  return true;
}

/**
 * Writes one array element. Plain elements (the common case: rows of a list) are written inline by
 * the loops; this generator is only entered for elements that need awaiting or walking.
 */
function* writeElement(item: unknown, index: number, state: WalkState): Walker {
  let resolved = item;
  if (isThenable(resolved)) resolved = yield* settle(resolved, String(index));
  if (isOmitted(resolved)) state.text += 'null';
  else yield* writeResolved(resolved, state);
}

/** The synchronous part of writing an element; true when it is fully written. */
function writeElementInline(resolved: unknown, state: WalkState): boolean {
  if (isThenable(resolved)) return false;
  if (isOmitted(resolved)) {
    state.text += 'null';
    return true;
  }
  return writeInline(resolved, state);
}

function* writeSyncItems(items: Iterable<unknown>, state: WalkState): Walker {
  state.text += '[';
  let index = 0;
  // for...of calls the iterator's return() when the walk is abandoned (early stop, error).
  for (const item of items) {
    if (index > 0) state.text += ',';
    const resolved = applyToJSON(item, index);
    if (!writeElementInline(resolved, state)) yield* writeElement(resolved, index, state);
    index += 1;
    if (state.text.length >= state.flushSize) yield FLUSH;
  }
  state.text += ']';
}

function* writeAsyncItems(items: AsyncIterable<unknown>, state: WalkState): Walker {
  state.text += '[';
  const iterator = items[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (let index = 0; ; index++) {
      const result = (yield { op: 'next', iterator }) as IteratorResult<unknown>;
      if (result.done) break;
      if (index > 0) state.text += ',';
      const resolved = applyToJSON(result.value, index);
      if (!writeElementInline(resolved, state)) yield* writeElement(resolved, index, state);
      if (state.text.length >= state.flushSize) yield FLUSH;
    }
    finished = true;
  } finally {
    // Abandoned mid-way: stop the producer so its `finally` runs (not awaited: the walk is synchronous).
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
  state.text += ']';
}

function* writeObject(object: Record<string, unknown>, state: WalkState): Walker {
  state.text += '{';
  let first = true;
  for (const key of Object.keys(object)) {
    let resolved = applyToJSON(object[key], key);
    if (isThenable(resolved)) resolved = yield* settle(resolved, key);
    if (isOmitted(resolved)) continue;
    state.text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (!writeInline(resolved, state)) yield* writeResolved(resolved, state);
    if (state.text.length >= state.flushSize) yield FLUSH;
  }
  state.text += '}';
}

/**
 * Fast path: a small tree of plain data (primitives, arrays, objects whose prototype is
 * `Object.prototype` or null, no `toJSON`) gives the same text through the native
 * `JSON.stringify`, several times faster than walking it here. The check gives up after
 * {@link PLAIN_BUDGET} values, so the text built at once stays small whatever the input (and a
 * cycle just falls back to the walk, which reports it). Getters of such objects run twice.
 */
function stringifyIfPlain(value: object): string | undefined {
  let budget = PLAIN_BUDGET;
  const isPlain = (current: unknown): boolean => {
    if (--budget < 0) return false;
    if (typeof current !== 'object' || current === null) return typeof current !== 'bigint';
    if (Array.isArray(current)) {
      for (const item of current) if (!isPlain(item)) return false;
      return true;
    }
    const prototype = Object.getPrototypeOf(current);
    if (prototype !== Object.prototype && prototype !== null) return false;
    // What the walk would treat specially: toJSON, a thenable, an iterable with a plain prototype.
    const special = current as { toJSON?: unknown; then?: unknown };
    if (typeof special.toJSON === 'function' || typeof special.then === 'function') return false;
    if (Symbol.iterator in current || Symbol.asyncIterator in current) return false;
    for (const key of Object.keys(current)) if (!isPlain((current as Record<string, unknown>)[key])) return false;
    return true;
  };
  return isPlain(value) ? JSON.stringify(value) : undefined;
}

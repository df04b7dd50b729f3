import { SessionDataError } from './errors.js';

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a store keeps for one session: its values by key, all JSON-safe. */
export type SessionData = { readonly [key: string]: JsonValue };

/**
 * Checks that `value` is JSON-safe and returns a deep-frozen copy of it. The copy is what the
 * session keeps, so later changes to the caller's object cannot slip into the store without a
 * `set()`, and the frozen result makes an in-place change (`session.get('cart').push(...)`) throw
 * instead of being silently lost.
 *
 * @param path printed in the {@link SessionDataError}: the key the value is stored under
 */
export function toSessionValue(path: string, value: unknown): JsonValue {
  return copy(value, path, new Set());
}

/**
 * Deep-freezes a record a store returned (validating it too: a store shared with other code may
 * hold anything).
 */
export function toSessionData(record: unknown): SessionData {
  if (!isPlainObject(record)) throw new SessionDataError('', `a stored session must be a plain object, got ${describe(record)}`);
  return copy(record, '', new Set()) as SessionData;
}

function copy(value: unknown, path: string, seen: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new SessionDataError(path, `${value} is not a finite number (JSON would turn it into null)`);
      return value;
    case 'object':
      break;
    default:
      throw new SessionDataError(path, `${describe(value)} is not JSON (use null, a boolean, a number, a string, an array or a plain object)`);
  }
  if (value === null) return null;
  if (seen.has(value)) throw new SessionDataError(path, 'it contains a circular reference');
  seen.add(value);
  let result: JsonValue;
  if (Array.isArray(value)) {
    result = Object.freeze(value.map((item, index) => copy(item, `${path}[${index}]`, seen)));
  } else if (isPlainObject(value)) {
    if (Object.getOwnPropertySymbols(value).length > 0) throw new SessionDataError(path, 'it has symbol keys, which JSON drops');
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      // defineProperty, not assignment: a "__proto__" key stays an own data property, as JSON.parse makes it.
      Object.defineProperty(out, key, { value: copy(value[key], path === '' ? key : `${path}.${key}`, seen), enumerable: true, writable: true, configurable: true });
    }
    result = Object.freeze(out);
  } else {
    throw new SessionDataError(path, `${describe(value)} is not a plain object (JSON would not bring it back as the same type; store a plain object or a string instead)`);
  }
  seen.delete(value);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'null-prototype object'}`;
  return `a ${typeof value}`;
}

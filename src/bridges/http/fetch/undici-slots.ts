/**
 * Node's `Request` and `Response` (undici) keep their state in symbol-keyed slots, and undici's
 * own code reads those slots from whatever object it is handed: `new Request(input)` and
 * `fetch(input)` read `input[state]` and `input[signal]`, `Request.prototype.clone` and the body
 * methods read `this[state]`. A stand-in object whose prototype chain ends in `Request.prototype`
 * (so `instanceof Request` holds and undici's brand check passes) and whose slots are getters that
 * build the real object on first use is therefore indistinguishable from a real one to undici as
 * well as to the user. That is what our lazy request and light response do.
 *
 * The slots are found once by looking at a real object. Nothing here trusts the guess:
 * {@link canStandIn} builds a stand-in and runs it through undici (`new Request(standIn)`,
 * `clone()`, a body read); on a Node whose undici keeps its state elsewhere (private fields, say)
 * it answers false and the callers build the real objects eagerly, as before. The unit tests assert
 * it answers true on the Node we support, so a Node upgrade that changes this fails them loudly.
 */

/** The own symbol-keyed slots of an object (undici's `state`, `headers`, `signal`, `dispatcher`). */
function slotsOf(value: object): symbol[] {
  return Object.getOwnPropertySymbols(value);
}

/** Slots of a real `Request`: `state`, `signal`, `headers`, `dispatcher` on Node 20. */
export const REQUEST_SLOTS: readonly symbol[] = slotsOf(new Request('http://slots.invalid/'));
/** Slots of a real `Response`: `state` and `headers` on Node 20. */
export const RESPONSE_SLOTS: readonly symbol[] = slotsOf(new Response(''));
/** undici's `state` slot of a `Response` (body source and stream), when it has one. */
export const RESPONSE_STATE: symbol | undefined = RESPONSE_SLOTS.find((slot) => slot.description === 'state');

/**
 * Defines each slot on `prototype` as a getter returning the same slot of `real(this)`, the real
 * object the stand-in builds (once) on first use.
 */
export function forwardSlots(prototype: object, slots: readonly symbol[], real: (standIn: object) => object): void {
  for (const slot of slots) {
    Object.defineProperty(prototype, slot, {
      configurable: true,
      get(this: object) {
        return (real(this) as Record<symbol, unknown>)[slot];
      },
    });
  }
}

/**
 * True when undici accepts a stand-in Request: `make` builds one for `POST http://probe.invalid/`
 * with a body and the header `x-probe: 1`; undici must copy it (`new Request(standIn)`, what
 * `fetch` does) and clone it through its own code, keeping the method, the header and the body.
 * Synchronous, run once per kind of stand-in when its module loads.
 */
export function standInWorks(make: () => Request): boolean {
  try {
    const copied = new Request(make());
    const cloned = Request.prototype.clone.call(make());
    return (
      copied.method === 'POST' &&
      copied.headers.get('x-probe') === '1' &&
      copied.body instanceof ReadableStream &&
      cloned.method === 'POST' &&
      cloned.body instanceof ReadableStream
    );
  } catch {
    return false;
  }
}

import { lazyModule } from '../../../runtime/lazy-module.js';

/** Loaded by the first request with a `Forwarded` header from a trusted proxy (see `lazyModule`). */
const parseForwarded = lazyModule<typeof import('forwarded-parse')>('forwarded-parse');

/** One element of a `Forwarded` header (RFC 7239): the parameters one proxy added. */
export interface ForwardedElement {
  /** `for=`: the client (or previous proxy) as that proxy saw it; may be quoted `[v6]:port`, `unknown` or `_hidden`. */
  readonly for?: string;
  /** `by=`: the proxy's own interface. */
  readonly by?: string;
  /** `host=`: the Host the client asked for. */
  readonly host?: string;
  /** `proto=`: the scheme the client used. */
  readonly proto?: string;
}

const KNOWN = ['for', 'by', 'host', 'proto'] as const;

/**
 * Parses a `Forwarded` header value (several header lines joined with `,`) into its elements,
 * leftmost (closest to the client) first, with the `forwarded-parse` package: keys are
 * case-insensitive, values tokens or quoted strings (with `\` escapes).
 *
 * Never throws. forwarded-parse refuses a whole header for one malformed byte, and the leftmost
 * elements are the client's own: refusing the header would let a client erase the `for=` its proxy
 * appended. So the header is split into elements here (commas inside quoted strings are not
 * boundaries), each is parsed on its own, and one that does not parse becomes an element without
 * parameters: it counts, but tells nothing. The empty pairs RFC 7239 allows (`for=a;;by=b`,
 * a trailing `;`), which forwarded-parse refuses, are dropped first.
 */
export function parseForwardedHeader(value: string): ForwardedElement[] {
  if (value.trim() === '') return [];
  return splitElements(value).map((pairs) => {
    let parsed: Record<string, string> = {};
    try {
      parsed = parseForwarded()(pairs.filter((pair) => pair !== '').join(';'))[0] ?? {};
    } catch {
      // A damaged element: no parameters.
    }
    const element: Record<string, string> = {};
    for (const key of KNOWN) if (Object.hasOwn(parsed, key)) element[key] = parsed[key]!;
    return element;
  });
}

/** The elements of the header, each as its trimmed `key=value` pairs, split at the `,` and `;` outside quoted strings. An unclosed quote runs to the end. */
function splitElements(value: string): string[][] {
  const elements: string[][] = [];
  let pairs: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= value.length; i++) {
    const char = value[i];
    if (quoted && char === '\\' && i + 1 < value.length) i++;
    else if (char === '"') quoted = !quoted;
    else if ((char === ';' || char === ',' || char === undefined) && !(quoted && char !== undefined)) {
      pairs.push(value.slice(start, i).trim());
      start = i + 1;
      if (char !== ';') {
        elements.push(pairs);
        pairs = [];
      }
    }
  }
  return elements;
}

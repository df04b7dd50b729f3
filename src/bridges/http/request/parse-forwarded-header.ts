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

const KNOWN = new Set(['for', 'by', 'host', 'proto']);

/**
 * Parses a `Forwarded` header value (several header lines joined with `,`) into its elements,
 * leftmost (closest to the client) first. Values may be tokens or quoted strings (with `\`
 * escapes); keys are case-insensitive; the first occurrence of a key in an element wins. Never
 * throws: a malformed element yields the parameters read before the damage, and parsing resumes
 * at the next `,`, so garbage from a client can at worst produce an element without `for`.
 */
export function parseForwardedHeader(value: string): ForwardedElement[] {
  const elements: ForwardedElement[] = [];
  let element: Record<string, string> = {};
  let i = 0;
  const n = value.length;
  const skipSpace = () => {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
  };
  const finish = () => {
    elements.push(element);
    element = {};
  };
  const skipToNextElement = () => {
    // Skip the damaged rest of this element, stepping over quoted strings so a `,` inside one is not a boundary.
    while (i < n && value[i] !== ',') {
      if (value[i] === '"') {
        i++;
        while (i < n && value[i] !== '"') i += value[i] === '\\' ? 2 : 1;
      }
      i++;
    }
  };

  for (;;) {
    skipSpace();
    if (i >= n) {
      if (Object.keys(element).length > 0) finish();
      break;
    }
    if (value[i] === ',') {
      finish();
      i++;
      continue;
    }
    if (value[i] === ';') {
      i++;
      continue;
    }
    // key
    const keyStart = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(value[i]!)) i++;
    const key = value.slice(keyStart, i).toLowerCase();
    skipSpace();
    if (key === '' || value[i] !== '=') {
      skipToNextElement();
      continue;
    }
    i++;
    skipSpace();
    // value: quoted string or token
    let parsed = '';
    if (value[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const char = value[i]!;
        if (char === '\\' && i + 1 < n) {
          parsed += value[i + 1];
          i += 2;
        } else if (char === '"') {
          closed = true;
          i++;
          break;
        } else {
          parsed += char;
          i++;
        }
      }
      if (!closed) continue; // an unterminated quote runs to the end: drop that value
    } else {
      const start = i;
      while (i < n && value[i] !== ';' && value[i] !== ',' && value[i] !== ' ' && value[i] !== '\t' && value[i] !== '"') i++;
      parsed = value.slice(start, i);
    }
    if (KNOWN.has(key) && !(key in element)) element[key] = parsed;
    skipSpace();
    if (i < n && value[i] !== ';' && value[i] !== ',') skipToNextElement();
  }
  return elements;
}

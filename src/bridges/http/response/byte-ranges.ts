// Ours rather than range-parser, for a stated reason. range-parser 1.x (the line Express 5 uses,
// and the last one that supports Node 20) answers 416 to a suffix longer than the file
// (`bytes=-500` of a 100-byte file, the whole file per RFC 9110 §14.1.2), refuses the empty list
// elements RFC 9110 §5.6.1 tells recipients to skip, and drops a reversed range (`bytes=5-1`)
// instead of treating the header as malformed. range-parser 2.0 fixes all three, but it requires
// Node >= 22 and this package supports Node >= 20.19: switch to its `parse` and `combineRanges`
// when `engines` moves on (the tests in test/bridges/http/response/byte-ranges.test.ts pass on it).
/** An inclusive byte range, as HTTP writes them: `start` to `end`, both counted. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a `Range` header asks of a representation of a given size. */
export type RangeRequest =
  /** No usable `Range`: send the whole representation (200). */
  | { kind: 'ignore' }
  /** Every range lies past the end: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }
  /** The satisfiable ranges, sorted and merged where they overlap or touch. */
  | { kind: 'ranges'; ranges: ByteRange[] };

const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * Reads a `Range` header (RFC 9110 §14.1.2) for a representation of `size` bytes: `bytes=0-99`,
 * `bytes=-500` (the last 500 bytes), `bytes=9500-` (from 9500 to the end), or a comma-separated
 * list of them.
 *
 * - A header that is malformed, uses another unit, or has a range whose end is before its start is
 *   ignored as a whole, as RFC 9110 requires: the client gets the full representation.
 * - Ranges starting at or past the end (and `-0`) are unsatisfiable and dropped; when nothing is
 *   left, the answer is 416.
 * - Overlapping or adjacent ranges are merged and the result sorted by offset (RFC 9110 §14.2 lets a
 *   server coalesce); this also defuses requests for the same bytes many times over.
 * - An empty representation has no byte to address: the header is ignored (200, empty body).
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header || size === 0) return { kind: 'ignore' };
  const equals = header.indexOf('=');
  if (equals < 0 || header.slice(0, equals).trim().toLowerCase() !== 'bytes') return { kind: 'ignore' };

  const ranges: ByteRange[] = [];
  let specs = 0;
  for (const part of header.slice(equals + 1).split(',')) {
    const spec = part.trim();
    if (spec === '') continue; // RFC 9110 list syntax tolerates empty elements.
    specs += 1;
    const match = RANGE_SPEC.exec(spec);
    if (!match) return { kind: 'ignore' };
    const [, first = '', last = ''] = match;
    if (first === '' && last === '') return { kind: 'ignore' };
    if (first === '') {
      const suffix = Number(last);
      if (suffix > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(first);
    const end = last === '' ? Infinity : Number(last);
    if (end < start) return { kind: 'ignore' };
    if (start < size) ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (specs === 0) return { kind: 'ignore' };
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'ranges', ranges: coalesce(ranges) };
}

function coalesce(ranges: ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [{ ...sorted[0]! }];
  for (const range of sorted.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

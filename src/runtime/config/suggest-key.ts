/**
 * Picks the known key a mistyped one most likely meant, or `undefined` when none is close.
 * Case, `_` and `-` are ignored first (`lazyBoot`, `lazy-boot` and `lazyboot` all mean
 * `lazy_boot`); otherwise the closest key within a small edit distance wins (a quarter of the
 * key's length, at least 1), ties going to the earlier key.
 */
export function suggestKey(typed: string, known: readonly string[]): string | undefined {
  const wanted = normalize(typed);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const key of known) {
    const candidate = normalize(key);
    if (candidate === wanted) return key;
    const distance = editDistance(wanted, candidate);
    const allowed = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 4));
    if (distance <= allowed && distance < bestDistance) {
      best = key;
      bestDistance = distance;
    }
  }
  return best;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`lazy_bot` / `lazy_boto`). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] as number;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i * cols + j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}

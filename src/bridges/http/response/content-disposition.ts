/** How the browser should present a file: shown in place (`inline`) or saved (`attachment`). */
export type DispositionType = 'inline' | 'attachment';

/** RFC 8187 `attr-char` plus `%`-escapes: encodeURIComponent leaves `'()*` bare, which attr-char does not allow. */
const encodeExtValue = (value: string) =>
  encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/** encodeURIComponent throws on these; they become U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Printable ASCII without the two characters a quoted-string must escape. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
/** A `%XX` sequence some browsers would decode in a plain `filename`. */
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * A `Content-Disposition` value (RFC 6266) that any browser reads right, whatever the file name:
 *
 * - an ASCII name goes in `filename="..."` (with `"` and `\` escaped);
 * - a name with other characters (or `%XX` sequences) also gets `filename*=UTF-8''...` (RFC 8187,
 *   formerly 5987, percent-encoded UTF-8), which modern browsers prefer, after an ASCII
 *   `filename` fallback for old ones: accents are stripped (`résumé` -> `resume`), anything
 *   else becomes `_`.
 *
 * Path separators are dropped first (RFC 6266 §4.3 asks recipients to, not all do), and control
 * characters never reach the header.
 */
export function contentDisposition(type: DispositionType, filename?: string): string {
  if (filename === undefined || filename === '') return type;
  const name = filename.replace(/^.*[\\/]/, '');
  const fallback = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
  const quoted = `"${fallback.replace(/["\\]/g, (char) => `\\${char}`)}"`;
  if (PLAIN_ASCII.test(name) && !PERCENT_ESCAPE.test(name)) return `${type}; filename=${quoted}`;
  return `${type}; filename=${quoted}; filename*=UTF-8''${encodeExtValue(name)}`;
}

import { lazyModule } from '../../../runtime/lazy-module.js';

/** Loaded by the first attachment or named file (see `lazyModule`). */
const contentDispositionPackage = lazyModule<typeof import('content-disposition')>('content-disposition');

/** How the browser should present a file: shown in place (`inline`) or saved (`attachment`). */
export type DispositionType = 'inline' | 'attachment';

/** encodeURIComponent throws on these, and so would the filename* encoding: they become U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NON_ASCII = /[^\x20-\x7e]/;

/**
 * A `Content-Disposition` value (RFC 6266) for a file name in any script, written by the
 * `content-disposition` package (what Express sends): an ASCII name as `filename`, any other (or one
 * holding `%XX`) as `filename*=UTF-8''...` (RFC 8187) after an ASCII `filename` fallback.
 * Control characters never reach the header.
 *
 * Ours on top: path separators, `/` and `\`, are dropped first (RFC 6266 §4.3 asks recipients to,
 * not all do); and the fallback loses accents (`résumé` -> `resume`) and turns anything else into
 * `_`, where the package writes `?`: clients that ignore `filename*` (`curl -OJ`) save under the
 * fallback, and `?` is not allowed in a Windows file name.
 */
export function contentDisposition(type: DispositionType, filename?: string): string {
  if (filename === undefined || filename === '') return type;
  const name = filename.replace(/^.*[\\/]/, '').replace(LONE_SURROGATE, '\uFFFD');
  const fallback = NON_ASCII.test(name) ? name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '_') : true;
  return contentDispositionPackage().create(name, { type, fallback });
}

import { extname } from 'node:path';
import { lazyModule } from '../../../runtime/lazy-module.js';

/** mime-types parses mime-db's whole JSON when loaded: only apps that send files need it (see `lazyModule`). */
const mimeTypes = lazyModule<typeof import('mime-types')>('mime-types');

/** The default media type when the extension is unknown: a download, never sniffed as HTML. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * The media type for a file name, from its extension (case-insensitive), as mime-db knows it (what
 * Express and Koa send); text types carry their charset (`text/html; charset=utf-8`). Only the
 * extension counts: a file named `json` or `.htaccess` has none and gets `application/octet-stream`.
 */
export function contentTypeFor(filename: string): string {
  return mimeTypes().contentType(extname(filename)) || DEFAULT_CONTENT_TYPE;
}

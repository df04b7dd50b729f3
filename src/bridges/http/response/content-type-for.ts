import { extname } from 'node:path';

const UTF8 = '; charset=utf-8';

/**
 * Media types by lower-case extension: the formats a web app commonly serves. A small map instead
 * of a dependency; anything else is `application/octet-stream`, and `fileResponse`'s `contentType`
 * option overrides the guess. Text formats carry `charset=utf-8`.
 */
const TYPES: Readonly<Record<string, string>> = Object.freeze({
  // text and code
  html: `text/html${UTF8}`, htm: `text/html${UTF8}`, css: `text/css${UTF8}`, csv: `text/csv${UTF8}`,
  txt: `text/plain${UTF8}`, text: `text/plain${UTF8}`, log: `text/plain${UTF8}`, md: `text/markdown${UTF8}`,
  js: `text/javascript${UTF8}`, mjs: `text/javascript${UTF8}`, cjs: `text/javascript${UTF8}`,
  json: `application/json${UTF8}`, map: `application/json${UTF8}`, jsonld: `application/ld+json${UTF8}`,
  webmanifest: `application/manifest+json${UTF8}`, xml: `application/xml${UTF8}`, rss: `application/rss+xml${UTF8}`,
  atom: `application/atom+xml${UTF8}`, yaml: `application/yaml${UTF8}`, yml: `application/yaml${UTF8}`,
  ics: `text/calendar${UTF8}`, vtt: `text/vtt${UTF8}`, svg: 'image/svg+xml', wasm: 'application/wasm',
  // images
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon', bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic',
  // fonts
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf', eot: 'application/vnd.ms-fontobject',
  // audio and video
  mp3: 'audio/mpeg', wav: 'audio/wav', oga: 'audio/ogg', ogg: 'audio/ogg', opus: 'audio/opus', m4a: 'audio/mp4',
  aac: 'audio/aac', flac: 'audio/flac', weba: 'audio/webm', mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm',
  ogv: 'video/ogg', mov: 'video/quicktime', avi: 'video/x-msvideo', mkv: 'video/x-matroska', mpeg: 'video/mpeg',
  // documents and archives
  pdf: 'application/pdf', rtf: 'application/rtf', epub: 'application/epub+zip',
  doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', tar: 'application/x-tar',
  bz2: 'application/x-bzip2', xz: 'application/x-xz', '7z': 'application/x-7z-compressed', rar: 'application/vnd.rar',
  zst: 'application/zstd',
});

/** The default media type when the extension is unknown: a download, never sniffed as HTML. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The media type for a file name, from its extension (case-insensitive). */
export function contentTypeFor(filename: string): string {
  const extension = extname(filename).slice(1).toLowerCase();
  return (Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined) ?? DEFAULT_CONTENT_TYPE;
}

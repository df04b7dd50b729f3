import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCookie } from 'cookie';
import type { HttpRequestMessage, ValuesMap } from '../bridges/http/proto/http-v1.js';
import { rrFormTree } from './rr-form-tree.js';

/** What the test kit fills in for a request, where rr takes it from the connection. */
export interface RrHttpRequestOptions {
  /** The client address rr would see (its `remote_addr`, port stripped). Default `127.0.0.1`. */
  remoteAddr?: string | undefined;
  /** The protocol rr would report. Default `HTTP/1.1`. */
  protocol?: string | undefined;
  /** Values rr's Go middleware would set (`attributes`). */
  attributes?: ValuesMap | undefined;
  /** rr's `http.raw_body: true`: forms are sent raw, not parsed. Default false. */
  rawBody?: boolean | undefined;
}

/** One request the way rr's http plugin hands it to a worker. */
export interface RrHttpRequest {
  message: Partial<HttpRequestMessage>;
  body: Uint8Array;
  /** Deletes the uploads' temp files, as rr does when the request ends. */
  cleanup(): Promise<void>;
}

const EMPTY = new Uint8Array(0);
// Go's ParseForm reads a urlencoded body for these methods only.
const FORM_BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Turns a Fetch `Request` into what rr's http plugin (`handler/request.go`) sends for it: the
 * `http.v1.Request` fields (absolute `uri`, Go-canonical header names without `Host`, cookies
 * URL-unescaped, `raw_query`) and the frame body: empty for `HEAD`/`OPTIONS`, a urlencoded or
 * multipart form parsed into rr's JSON tree (`parsed: true`) with uploads written to temp files
 * and described in the uploads tree, anything else raw.
 */
export async function toRrHttpRequest(request: Request, options: RrHttpRequestOptions = {}): Promise<RrHttpRequest> {
  const url = new URL(request.url);
  const header: ValuesMap = {};
  for (const [name, value] of request.headers) {
    // Go moves Host out of the header map into r.Host, which the uri is built from.
    if (name === 'host') {
      url.host = value;
      continue;
    }
    (header[canonicalHeaderKey(name)] ??= []).push(value);
  }
  const message: Partial<HttpRequestMessage> = {
    remoteAddr: options.remoteAddr ?? '127.0.0.1',
    protocol: options.protocol ?? 'HTTP/1.1',
    method: request.method,
    uri: url.href,
    header,
    cookies: cookiesOf(request.headers.get('cookie')),
    rawQuery: url.search.slice(1),
    parsed: false,
    attributes: options.attributes ?? {},
  };
  const nothing = { message, body: EMPTY, cleanup: async () => {} };
  if (request.method === 'HEAD' || request.method === 'OPTIONS') return nothing;

  const type = request.headers.get('content-type') ?? '';
  if (!options.rawBody && type.includes('application/x-www-form-urlencoded')) {
    message.parsed = true;
    if (!FORM_BODY_METHODS.has(request.method)) return nothing;
    const grouped = new Map<string, string[]>();
    for (const [key, value] of new URLSearchParams(await request.text())) {
      let values = grouped.get(key);
      if (!values) grouped.set(key, (values = []));
      values.push(value);
    }
    return { message, body: treeBody(rrFormTree(grouped, 'last')), cleanup: nothing.cleanup };
  }
  if (!options.rawBody && type.includes('multipart/form-data')) {
    message.parsed = true;
    const form = await request.formData();
    const fields = new Map<string, string[]>();
    const files = new Map<string, File[]>();
    for (const [key, value] of form) {
      if (typeof value === 'string') {
        let values = fields.get(key);
        if (!values) fields.set(key, (values = []));
        values.push(value);
      } else {
        let values = files.get(key);
        if (!values) files.set(key, (values = []));
        values.push(value);
      }
    }
    let dir: string | undefined;
    const cleanup = async () => {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    };
    if (files.size > 0) {
      try {
        dir = await mkdtemp(join(tmpdir(), 'rrr-test-uploads-'));
        let count = 0;
        const leaves = new Map<string, UploadLeaf[]>();
        for (const [key, list] of files) {
          const out: UploadLeaf[] = [];
          for (const file of list) {
            const tmpName = join(dir, `upload${++count}`);
            const bytes = new Uint8Array(await file.arrayBuffer());
            await writeFile(tmpName, bytes);
            out.push({ name: file.name, mime: file.type, size: bytes.byteLength, error: 0, tmpName });
          }
          leaves.set(key, out);
        }
        message.uploads = Buffer.from(JSON.stringify(rrFormTree(leaves, 'first')));
      } catch (error) {
        await cleanup();
        throw error;
      }
    }
    return { message, body: treeBody(rrFormTree(fields, 'last')), cleanup };
  }
  const body = request.body === null ? EMPTY : new Uint8Array(await request.arrayBuffer());
  return { message, body, cleanup: nothing.cleanup };
}

/** A leaf of rr's uploads tree (`http.v1` §3.4). */
interface UploadLeaf {
  name: string;
  mime: string;
  size: number;
  error: number;
  tmpName: string;
}

// rr sends an empty body for an empty tree (`packDataTree`).
function treeBody(tree: object): Uint8Array {
  return Object.keys(tree).length === 0 ? EMPTY : Buffer.from(JSON.stringify(tree));
}

/** Go's `textproto.CanonicalMIMEHeaderKey` for the token names a Fetch `Headers` holds. */
export function canonicalHeaderKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** rr's cookies: Go's `r.Cookies()`, each value through `url.QueryUnescape` (undecodable ones dropped). */
function cookiesOf(header: string | null): ValuesMap {
  const cookies: ValuesMap = {};
  if (header === null) return cookies;
  for (const [name, value] of Object.entries(parseCookie(header, { decode: queryUnescape }))) {
    if (value !== undefined) cookies[name] = [value];
  }
  return cookies;
}

function queryUnescape(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ProtocolError } from '../../../runtime/errors.js';
import { UploadUnavailableError } from '../errors.js';
import { UploadedFile, type UploadNode, type UploadTree } from './request-context.js';
import { UploadError } from './upload-error.js';

/**
 * How upload contents are read from rr's temp files, which rr deletes when the request ends.
 *
 * - `lazy` (default): each `File` is backed by its temp file (`fs.openAsBlob`) and read only when
 *   the handler reads it. Memory stays at one chunk per read however large the upload, but the
 *   `File` is readable only until the reply ends (rr deletes the file then): read, stream or copy
 *   it before the final response frame (a streamed response counts: rr waits for its last frame).
 * - `eager`: every file is read into memory before the handler runs, so the `File`s outlive the
 *   request. Costs the whole upload size in memory per request (rr's `http.max_request_size`
 *   bounds it, 1000 MB by default): only for small uploads or handlers that keep files around.
 *
 * Either way, `await request.formData()` on the rebuilt multipart body buffers the whole body
 * (Node's Fetch parses multipart in memory) and its `File`s are in-memory copies. For large
 * uploads, read `RequestContext.files[i].file` instead (`.stream()` with `lazy`): that is the
 * memory-bounded path.
 */
export type UploadReading = 'lazy' | 'eager';

/** The uploads of one request: the tree as rr shaped it and every file in tree order. */
export interface ReadUploads {
  tree: UploadTree;
  files: UploadedFile[];
}

/**
 * Parses rr's uploads JSON (`http.v1` §3.4) and opens every successful upload as a `File`.
 * Failed uploads (non-zero `error`) are kept, with their code and a message, and no `File`.
 * Throws {@link ProtocolError} on a malformed tree and {@link UploadUnavailableError} when a file
 * rr reported as uploaded cannot be opened.
 */
export async function readUploads(json: Uint8Array, reading: UploadReading): Promise<ReadUploads> {
  let root: unknown;
  try {
    root = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  } catch (error) {
    throw new ProtocolError(`malformed uploads tree in http.v1.Request: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(root)) throw new ProtocolError('malformed uploads tree in http.v1.Request: expected an object');

  const files: UploadedFile[] = [];
  const tree = await groupOf(root, undefined, files, reading);
  return { tree, files };
}

type RawLeaf = { name?: unknown; mime?: unknown; size?: unknown; error: number; tmpName: string };

// Files are opened one after the other: a request with many files never holds many descriptors.
async function nodeOf(value: unknown, field: string, files: UploadedFile[], reading: UploadReading): Promise<UploadNode> {
  if (isLeaf(value)) {
    const upload = new UploadedFile({
      field,
      name: typeof value.name === 'string' ? value.name : '',
      type: typeof value.mime === 'string' ? value.mime : '',
      size: typeof value.size === 'number' ? value.size : 0,
      error: value.error,
      tmpName: value.tmpName,
      file: value.error === UploadError.OK ? await openUpload(value, field, reading) : undefined,
    });
    files.push(upload);
    return upload;
  }
  if (Array.isArray(value)) {
    // rr only puts files in arrays (`files[]`); a group inside an array keeps its index.
    const nodes: UploadNode[] = [];
    for (const [index, item] of value.entries()) nodes.push(await nodeOf(item, isLeaf(item) ? `${field}[]` : `${field}[${index}]`, files, reading));
    return nodes;
  }
  if (isRecord(value)) return groupOf(value, field, files, reading);
  throw new ProtocolError(`malformed uploads tree in http.v1.Request: unexpected ${value === null ? 'null' : typeof value} at ${JSON.stringify(field)}`);
}

async function groupOf(value: Record<string, unknown>, field: string | undefined, files: UploadedFile[], reading: UploadReading): Promise<UploadTree> {
  const entries: Array<[string, UploadNode]> = [];
  for (const [key, child] of Object.entries(value)) {
    entries.push([key, await nodeOf(child, field === undefined ? key : `${field}[${key}]`, files, reading)]);
  }
  // fromEntries defines own properties: a field named `__proto__` stays a field.
  return Object.fromEntries(entries);
}

async function openUpload(leaf: RawLeaf, field: string, reading: UploadReading): Promise<File> {
  const type = typeof leaf.mime === 'string' ? leaf.mime : '';
  const name = typeof leaf.name === 'string' ? leaf.name : '';
  try {
    if (leaf.tmpName === '') throw new Error('rr gave no temp file name');
    // stat first: openAsBlob's own error says only "Unable to open file as blob".
    const info = await stat(leaf.tmpName);
    if (!info.isFile()) throw new Error('not a regular file');
    const content = reading === 'eager' ? await readFile(leaf.tmpName) : await openAsBlob(leaf.tmpName, { type });
    return new File([content], name, { type });
  } catch (error) {
    throw new UploadUnavailableError(field, leaf.tmpName, { cause: error });
  }
}

function isLeaf(value: unknown): value is RawLeaf {
  return isRecord(value) && typeof value['error'] === 'number' && typeof value['tmpName'] === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

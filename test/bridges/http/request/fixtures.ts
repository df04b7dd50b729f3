/** Helpers for the request-side tests: rr-shaped messages and temp files like rr's uploads. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpRequestMessage } from '../../../../src/bridges/http/proto/http-v1.js';

/** A message as rr would send it; unspecified fields get rr's defaults for a GET. */
export function rrMessage(init: Partial<HttpRequestMessage> = {}): HttpRequestMessage {
  return {
    remoteAddr: '127.0.0.1',
    protocol: 'HTTP/1.1',
    method: 'GET',
    uri: 'http://localhost:8080/',
    header: {},
    cookies: {},
    rawQuery: '',
    parsed: false,
    uploads: undefined,
    attributes: {},
    ...init,
  };
}

/** A leaf of rr's uploads tree. */
export interface UploadLeaf {
  name: string;
  mime: string;
  size: number;
  error: number;
  tmpName: string;
}

/** A directory standing in for rr's `http.uploads.dir`; `upload()` writes a file the way rr does. */
export class UploadsDir {
  readonly path = mkdtempSync(join(tmpdir(), 'rrr-uploads-'));
  private count = 0;

  upload(name: string, content: string | Uint8Array, mime = 'application/octet-stream'): UploadLeaf {
    const tmpName = join(this.path, `upload${++this.count}`);
    writeFileSync(tmpName, content);
    return { name, mime, size: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength, error: 0, tmpName };
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

import { flattenFormTree } from './flatten-form-tree.js';
import type { FormTree, UploadedFile } from './request-context.js';

/**
 * Rebuilds the body rr parsed away, so `await request.formData()` works:
 * - `urlencoded`: a `URLSearchParams` of the tree's bracket keys (`a[b][]=1`); the `Request` then
 *   carries `application/x-www-form-urlencoded;charset=UTF-8`.
 * - `multipart`: a `FormData` with the same fields, then every successful upload as a `File`
 *   under its field name (`files[]`); the `Request` then carries `multipart/form-data` with the
 *   boundary `FormData` generated. Failed uploads have no content and are left out: they are in
 *   `RequestContext.uploadErrors`.
 *
 * Field order is rr's (keys sorted, fields before files), not the client's.
 */
export function rebuildFormBody(kind: 'urlencoded' | 'multipart', form: FormTree, files: readonly UploadedFile[]): URLSearchParams | FormData {
  const pairs = flattenFormTree(form);
  if (kind === 'urlencoded') return new URLSearchParams(pairs);
  const data = new FormData();
  for (const [name, value] of pairs) data.append(name, value);
  for (const upload of files) if (upload.file) data.append(upload.field, upload.file);
  return data;
}

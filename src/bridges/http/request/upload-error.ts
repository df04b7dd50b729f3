/**
 * PHP's upload error codes, which rr's http plugin uses in the `error` field of each upload
 * (`handler/uploads.go`). rr itself produces 0, 4, 6, 7 and 8; the others are listed so that a
 * value from elsewhere still gets a meaningful message.
 */
export const UploadError = {
  /** The file was uploaded and is readable. */
  OK: 0,
  /** PHP: larger than `upload_max_filesize` (rr limits the whole request with `http.max_request_size` instead). */
  INI_SIZE: 1,
  /** PHP: larger than the form's `MAX_FILE_SIZE`. */
  FORM_SIZE: 2,
  /** PHP: only partially uploaded. */
  PARTIAL: 3,
  /** rr could not open the part it received. */
  NO_FILE: 4,
  /** rr could not create a temp file in `http.uploads.dir`. */
  NO_TMP_DIR: 6,
  /** rr failed while writing the temp file. */
  CANT_WRITE: 7,
  /** The file's extension is refused by `http.uploads.forbid` / `http.uploads.allow`. */
  EXTENSION: 8,
} as const;

const MESSAGES: Record<number, string> = {
  [UploadError.INI_SIZE]: 'the file is larger than the server allows',
  [UploadError.FORM_SIZE]: 'the file is larger than the form allows (MAX_FILE_SIZE)',
  [UploadError.PARTIAL]: 'the file was only partially uploaded',
  [UploadError.NO_FILE]: 'no file was uploaded (rr could not open the uploaded part)',
  [UploadError.NO_TMP_DIR]: 'rr could not create a temp file (is http.uploads.dir missing or not writable?)',
  [UploadError.CANT_WRITE]: 'rr failed to write the file to disk',
  [UploadError.EXTENSION]: 'the file extension is not allowed (http.uploads.forbid / http.uploads.allow)',
};

/** A readable message for an upload error code; `undefined` for 0 (no error). */
export function uploadErrorMessage(code: number): string | undefined {
  if (code === UploadError.OK) return undefined;
  return MESSAGES[code] ?? `unknown upload error code ${code}`;
}

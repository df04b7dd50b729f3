/**
 * What rr tells the worker about a request beyond what a Fetch `Request` can carry: who the
 * client is (after trusted proxies), the direct peer, the protocol, rr's attributes, the form rr
 * parsed and the uploaded files.
 */
import { uploadErrorMessage } from './upload-error.js';

/**
 * A form as rr parses it (PHP bracket rules, `http.v1` §3.3): a plain key keeps its last value as
 * a string, `key[]` keeps every value as an array, `a[b]` nests objects (`a[0]` too: an object
 * with key `"0"`). rr drops spaces from field names and sorts keys, so the original field order
 * is not known.
 */
export interface FormTree {
  readonly [key: string]: FormValue;
}

/** A value in a {@link FormTree}. */
export type FormValue = string | readonly FormValue[] | FormTree;

/** An upload tree: the form's file fields, mirroring their bracket names; leaves are {@link UploadedFile}s. */
export interface UploadTree {
  readonly [key: string]: UploadNode;
}

/** A node of an {@link UploadTree}: a file, the files of a `name[]` field, or a nested group. */
export type UploadNode = UploadedFile | readonly UploadNode[] | UploadTree;

/** One uploaded file as rr reported it, with its content as a `File` when the upload succeeded. */
export class UploadedFile {
  /** The form field name it has in the rebuilt `FormData` (`avatar`, `files[]`, `doc[scan]`). */
  readonly field: string;
  /** The file name the client sent. */
  readonly name: string;
  /** The media type the client sent (not checked by anyone: do not trust it). */
  readonly type: string;
  /** Bytes rr wrote to its temp file (0 when the upload failed early). */
  readonly size: number;
  /** PHP upload error code (see `UploadError`): 0 means success. */
  readonly error: number;
  /** Why the upload failed; `undefined` when `error` is 0. */
  readonly errorMessage: string | undefined;
  /** rr's temp file ('' when rr created none). rr deletes it when the request ends. */
  readonly tmpName: string;
  /**
   * The content, present exactly when `error` is 0. With `readUploads: 'lazy'` (the default) it
   * reads rr's temp file on demand, so it is readable only until the reply ends: copy what you
   * keep before that.
   */
  readonly file: File | undefined;

  constructor(init: { field: string; name: string; type: string; size: number; error: number; tmpName: string; file: File | undefined }) {
    this.field = init.field;
    this.name = init.name;
    this.type = init.type;
    this.size = init.size;
    this.error = init.error;
    this.errorMessage = uploadErrorMessage(init.error);
    this.tmpName = init.tmpName;
    this.file = init.file;
  }
}

/** Everything about a request that the Fetch `Request` cannot carry. */
export interface RequestContext {
  /**
   * The client's IP address: the direct peer, or, when the peer is a trusted proxy, the address
   * found in the trusted forwarding headers. Normalised (an IPv4-mapped IPv6 address becomes
   * IPv4); the peer's address as rr sent it when nothing could be parsed.
   */
  readonly clientAddress: string;
  /** The direct peer's address, exactly as rr sent it (`remote_addr`, port stripped): a proxy or the client. */
  readonly peerAddress: string;
  /** True when the peer is a trusted proxy, so the trusted forwarding headers were applied. */
  readonly fromTrustedProxy: boolean;
  /** `HTTP/1.1`, `HTTP/2.0`... as rr saw it. */
  readonly protocol: string;
  /** rr's attributes (values set by Go middleware), first value of each, as PHP reads them. */
  readonly attributes: Readonly<Record<string, string>>;
  /** rr's attributes with all their values. */
  readonly attributeValues: Readonly<Record<string, readonly string[]>>;
  /**
   * Cookies as rr parsed them: one value each, URL-unescaped by rr (`+` became a space, cookies
   * that did not unescape were dropped). The Request's `Cookie` header keeps the raw bytes.
   */
  readonly cookies: Readonly<Record<string, string>>;
  /** The form rr parsed (urlencoded or multipart, non-file fields); `undefined` when rr sent the body raw. */
  readonly form: FormTree | undefined;
  /** The uploaded files as a tree mirroring their field names; `undefined` when there were none. */
  readonly uploads: UploadTree | undefined;
  /** Every uploaded file, failed ones included, in tree order. */
  readonly files: readonly UploadedFile[];
  /** The uploads that failed (`error` not 0): they are not in the rebuilt `FormData`, only here. */
  readonly uploadErrors: readonly UploadedFile[];
}

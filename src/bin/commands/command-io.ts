/** Where a command writes: results to `out` (stdout), diagnostics to `err` (stderr). One line or block per call. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Directories whose stack frames are this package's, left out of app errors (see `describeAppError`). */
  readonly ownDirs: readonly string[];
}

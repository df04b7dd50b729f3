/** Where a piece of configuration came from, so every error can point at it. */
export interface ConfigSource {
  /**
   * How messages name the source: the file path as the user would type it (relative to the project
   * dir when inside it), or a label such as `runtime config (code)` for config given in code.
   */
  label: string;
  /** Absolute path of the file, when the config came from one; copied to `ConfigError.file`. */
  file?: string;
}

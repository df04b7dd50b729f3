import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { ConfigSource } from './config-source.js';
import { parseYaml } from './parse-yaml.js';

/** What {@link readYamlFile} returns for a file that does not exist and was optional. */
export const MISSING_FILE: unique symbol = Symbol('missing config file');

/**
 * Reads and parses one YAML file (see {@link parseYaml}). `source.file` must be absolute.
 * A missing file throws a {@link ConfigError} naming the label and the absolute path, unless
 * `optional` is set, in which case {@link MISSING_FILE} is returned.
 */
export async function readYamlFile(
  source: ConfigSource & { file: string },
  options: { optional?: boolean } = {},
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(source.file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return MISSING_FILE;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a YAML file' : `cannot be read (${code ?? String(cause)})`;
    throw new ConfigError(`${source.label}: ${why} (${source.file})`, { file: source.file }, { cause });
  }
  return parseYaml(text, source);
}

import { lazyModule } from '../lazy-module.js';
import { ConfigError } from '../errors.js';
import type { ConfigSource } from './config-source.js';

/** Loaded on the first file parsed (see `lazyModule`). */
const yaml = lazyModule<typeof import('yaml')>('yaml');

/**
 * Parses one YAML document into plain JS values. An empty document (or only comments) gives
 * `undefined`. Syntax errors, duplicate keys, tabs as indentation and multi-document files throw a
 * {@link ConfigError} that starts with `label:line:col:` and quotes the offending line.
 *
 * Merge keys (`<<: *anchor`) are on, because rr's YAML reader (Go yaml.v3) honours them and
 * `.rr.yaml` files use them to share pool settings.
 */
export function parseYaml(text: string, source: ConfigSource): unknown {
  const doc = yaml().parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const position = error.linePos?.[0];
    const where = position ? `${source.label}:${position.line}:${position.col}` : source.label;
    throw new ConfigError(`${where}: YAML syntax error: ${describeYamlError(error.code, error.message)}`, pathless(source));
  }
  const value: unknown = doc.toJS();
  return value ?? undefined;
}

function describeYamlError(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (a `---` line); expected exactly one';
  // The yaml package appends " at line L, column C:\n\n<excerpt>"; we already lead with L:C, so keep
  // only the excerpt, indented under the message.
  const at = message.search(/ at line \d+, column \d+:/);
  if (at === -1) return message;
  const excerpt = message.slice(message.indexOf('\n', at)).replace(/^\n+|\n+$/g, '');
  const lines = excerpt.split('\n').map((line) => `  ${line}`);
  return `${message.slice(0, at)}\n${lines.join('\n')}`;
}

function pathless(source: ConfigSource): { file?: string } {
  return source.file === undefined ? {} : { file: source.file };
}

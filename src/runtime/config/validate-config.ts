import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ConfigSource } from './config-source.js';

/**
 * Runs a config schema and turns every problem into one {@link ConfigError}. Each problem is one
 * line, `<label>: <key.path>: <what was expected>, got <what was found>`; the error's `path` is the
 * first problem's key path. Problems come in schema order, all at once, so a user fixes them in one
 * go instead of one per restart.
 */
export function validateConfig<Schema extends z.ZodType>(schema: Schema, input: unknown, source: ConfigSource): z.output<Schema> {
  const result = schema.safeParse(input, { reportInput: true, error: expectedPhrase });
  if (result.success) return result.data;
  throw configErrorFromIssues(result.error.issues, source);
}

/** Builds the {@link ConfigError} for a list of zod issues (see {@link validateConfig}). */
export function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], source: ConfigSource): ConfigError {
  const lines = issues.map((issue) => {
    const path = formatKeyPath(issue.path);
    return path === '' ? `${source.label}: ${describeIssue(issue)}` : `${source.label}: ${path}: ${describeIssue(issue)}`;
  });
  const details: { file?: string; path: string } = { path: formatKeyPath(issues[0]?.path ?? []) };
  if (source.file !== undefined) details.file = source.file;
  return new ConfigError(lines.join('\n'), details);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // Custom issues (unknown keys, cross-field rules) carry a complete sentence already.
  if (issue.code === 'custom') return issue.message;
  if (issue.input === undefined) return `missing, expected ${issue.message}`;
  return `expected ${issue.message}, got ${describeValue(issue.input)}`;
}

/**
 * The fallback "expected ..." phrase for schemas that do not set one. Schema-level phrases win
 * over this (zod's precedence), so this only covers the generic cases.
 */
function expectedPhrase(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return typePhrase(issue.expected);
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'a non-empty string' : `a string of at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `a list of at least ${issue.minimum} items`;
      return `a value of at least ${issue.minimum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    default:
      return undefined;
  }
}

function typePhrase(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
    case 'int':
      return 'a number';
    default:
      return expected;
  }
}

/** How a found value is shown after "got": strings quoted (and shortened), containers by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    // An empty string in config is almost always a `${VAR}` whose variable is not set.
    if (value === '') return '"" (an empty string; is a ${VARIABLE} unset?)';
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** `http.lazy_boot`, `temporal.workers.default.workflow[1]`, `kv["my.cache"].driver`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

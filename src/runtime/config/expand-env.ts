/**
 * rr-style environment expansion for config values, applied to string scalars after YAML parsing
 * (rr does the same in its config plugin, `expand.go`). So the worker sees `.rr.yaml` values as
 * rr sees them, this follows rr's rules, not a shell's:
 *
 * - `${NAME}` and `$NAME` (NAME: letters, digits, `_`) expand to the variable's value.
 * - `${NAME:-default}` expands to `default` when NAME is unset **or empty**. The default is taken
 *   literally up to the first `}`: it is not expanded again and cannot contain `}`.
 * - A variable that is not set, without a default, expands to the empty string (no error), as in rr.
 * - `$` followed by one of `* # $ @ ! ? -` or a digit names a one-character variable, as in rr:
 *   `$$`, `$1`... normally expand to nothing. There is no escape for a literal `$` before a name
 *   (rr has none either); a `$` followed by anything else (space, `/`, end of string) stays as is.
 * - `${}` disappears, and an unclosed `${` disappears leaving what follows it, as in rr.
 * - Only the text inside one `${...}` is split on `:-`. rr checks for `:-` across the whole value
 *   and collapses values like `${A}-${B:-x}` or `${A:-B:-C}` to an empty string; we expand them the
 *   POSIX way instead (`${A:-B:-C}` defaults to `B:-C`), which is what such values obviously mean.
 *
 * Not supported: rr's `RR_<SECTION>_<KEY>` variables that override keys of `.rr.yaml` (viper's
 * AutomaticEnv), because workers inherit `RR_VERSION`, `RR_RPC`... from rr, which would then
 * shadow keys such as `version`.
 */

/** Where variables come from: `process.env` or any map of the same shape. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

const SPECIAL = new Set(['*', '#', '$', '@', '!', '?', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const NAME = /[A-Za-z0-9_]+/y;

/** Expands `${VAR}`, `${VAR:-default}` and `$VAR` in one string (see the module comment for the rules). */
export function expandEnv(value: string, env: EnvSource = process.env): string {
  let dollar = value.indexOf('$');
  if (dollar === -1) return value;
  let out = '';
  let from = 0;
  while (dollar !== -1 && dollar < value.length - 1) {
    out += value.slice(from, dollar);
    const next = value[dollar + 1] as string;
    if (next === '{') {
      const close = value.indexOf('}', dollar + 2);
      if (close === -1) {
        from = dollar + 2;
      } else {
        out += lookupBraced(value.slice(dollar + 2, close), env);
        from = close + 1;
      }
    } else if (SPECIAL.has(next)) {
      out += env[next] ?? '';
      from = dollar + 2;
    } else {
      NAME.lastIndex = dollar + 1;
      const name = NAME.exec(value)?.[0];
      if (name === undefined) {
        out += '$';
        from = dollar + 1;
      } else {
        out += env[name] ?? '';
        from = dollar + 1 + name.length;
      }
    }
    dollar = value.indexOf('$', from);
  }
  return out + value.slice(from);
}

function lookupBraced(inner: string, env: EnvSource): string {
  if (inner === '') return '';
  const split = inner.indexOf(':-');
  if (split === -1) return env[inner] ?? '';
  const found = env[inner.slice(0, split)];
  return found === undefined || found === '' ? inner.slice(split + 2) : found;
}

/**
 * Returns a copy of a parsed YAML tree with every string value expanded by {@link expandEnv},
 * including strings inside lists. Mapping keys, numbers, booleans and null are left untouched
 * (rr expands values only). Unlike rr, a list mixing strings and other values keeps all its items.
 */
export function expandEnvDeep<T>(value: T, env: EnvSource = process.env): T {
  return expandNode(value, env) as T;
}

function expandNode(value: unknown, env: EnvSource): unknown {
  if (typeof value === 'string') return expandEnv(value, env);
  if (Array.isArray(value)) return value.map((item) => expandNode(item, env));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    // fromEntries defines own properties, so a `__proto__` key stays data and never a prototype.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandNode(item, env)]));
  }
  return value;
}

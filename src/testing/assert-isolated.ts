import { randomUUID } from 'node:crypto';
import { IsolationError, IsolationProbeError } from './errors.js';

/**
 * Who a unit runs as: a string that the unit sends and that its outcome shows (a user name in a
 * header, a job payload), or `{ send, shows }` when what the outcome shows differs from what is
 * sent (a token sent, the user id shown).
 */
export type Identity = string | { readonly send: string; readonly shows: string };

/** Options of {@link assertIsolated}. */
export interface IsolationOptions {
  /** The two identities, first then second. Default: two random strings no app could show by chance. */
  identities?: readonly [Identity, Identity] | undefined;
  /** Names the check in the error message (`"GET /me"`). */
  label?: string | undefined;
}

/**
 * Runs two units of work one after the other with different identities, on the same worker, and
 * throws {@link IsolationError} when the second unit's outcome shows anything of the first's
 * identity: a service kept per-request state past its unit (a singleton that is neither
 * request-scoped nor declared Resettable). This is how Laravel Octane's tests catch state leaking
 * between requests of one long-lived worker.
 *
 * `unit(identity)` sends one unit as that identity and returns its outcome: a `Response` (its
 * status, headers and body are read from a clone), a job outcome or Centrifugo reply (byte fields
 * read as UTF-8), a string, bytes or any JSON value. Each outcome must show its own identity, else
 * the check could not see a leak and {@link IsolationProbeError} says so.
 *
 * Framework-free: it throws plain `Error` subclasses, so mocha, `node:test` and vitest all report
 * the failure with its message.
 *
 * ```ts
 * await assertIsolated((user) => worker.fetch('/greet', { headers: { 'x-user': user } }));
 * ```
 */
export async function assertIsolated(unit: (identity: string) => Promise<unknown>, options: IsolationOptions = {}): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  const [first, second] = (options.identities ?? [`first-${tag}`, `second-${tag}`]).map(normalize) as [Normalized, Normalized];
  if (first.shows === second.shows || first.shows.includes(second.shows) || second.shows.includes(first.shows)) {
    throw new IsolationProbeError(`assertIsolated: the identities "${first.shows}" and "${second.shows}" overlap, so a leak could not be told apart`, { actual: '', leaked: first.shows });
  }
  const where = options.label === undefined ? '' : ` (${options.label})`;

  const firstText = await outcomeText(await unit(first.send));
  if (!firstText.includes(first.shows)) {
    throw new IsolationProbeError(
      `assertIsolated${where}: the first unit's outcome does not show its identity "${first.shows}": either state leaked into it from an earlier unit of work, ` +
        `or the unit does not return what it served for that identity, and a leak could not be seen (its outcome was: ${excerpt(firstText, 0)})`,
      { actual: firstText, leaked: first.shows },
    );
  }
  const secondText = await outcomeText(await unit(second.send));
  const at = secondText.indexOf(first.shows);
  if (at !== -1) {
    throw new IsolationError(
      `assertIsolated${where}: state leaked between units of work: the second unit (as "${second.shows}") shows "${first.shows}" from the first unit: ${excerpt(secondText, at)}. ` +
        'A service kept per-request state past its unit: make it request-scoped (@Service({ scope: \'request\' })) or declare it Resettable (@Service({ resettable: true }) with a reset() that clears it).',
      { actual: secondText, leaked: first.shows },
    );
  }
  if (!secondText.includes(second.shows)) {
    throw new IsolationProbeError(
      `assertIsolated${where}: the second unit's outcome does not show its own identity "${second.shows}", so the check proves nothing (its outcome was: ${excerpt(secondText, 0)})`,
      { actual: secondText, leaked: first.shows },
    );
  }
}

interface Normalized {
  send: string;
  shows: string;
}

function normalize(identity: Identity): Normalized {
  return typeof identity === 'string' ? { send: identity, shows: identity } : identity;
}

/** An outcome as text: what a leak could show up in. */
export async function outcomeText(outcome: unknown): Promise<string> {
  if (outcome instanceof Response) {
    const copy = outcome.bodyUsed ? undefined : outcome.clone();
    const headers = [...outcome.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    return `${outcome.status}\n${headers}\n\n${copy ? await copy.text() : ''}`;
  }
  if (typeof outcome === 'string') return outcome;
  if (outcome instanceof Uint8Array) return Buffer.from(outcome).toString('utf8');
  return JSON.stringify(readable(outcome)) ?? String(outcome);
}

// Byte fields (a Centrifugo reply's data, a Buffer) become text, so identities inside them are seen.
function readable(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(readable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, readable(child)]));
  }
  return value;
}

function excerpt(text: string, at: number): string {
  const start = Math.max(0, at - 60);
  const end = Math.min(text.length, at + 140);
  return JSON.stringify(`${start > 0 ? '...' : ''}${text.slice(start, end)}${end < text.length ? '...' : ''}`);
}

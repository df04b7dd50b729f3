import type { UnitOfWork } from '../worker/unit-of-work.js';
import type { ModeWorker } from './define-app.js';

/**
 * How a mode answers every unit while its worker could not boot: HTTP sends a 503 with a short
 * safe body, Centrifugo a temporary internal error... The runtime's default is an ERROR frame,
 * which rr turns into its own failure for the unit (HTTP `internal_error_code`, jobs nack).
 */
export type BootFailureAnswer = (unit: UnitOfWork) => Promise<void>;

/** Options of {@link bootFailed}. */
export interface BootFailedOptions {
  /** The `RR_MODE` that failed. */
  mode: string;
  /** Writes one error-level line to rr's log (see `ModeContext.logError`). */
  logError(line: string): Promise<void>;
  /** The mode's answer; default: an ERROR frame saying the worker failed to boot, without details. */
  answer?: BootFailureAnswer | undefined;
}

/**
 * A worker that failed to boot (its module did not load, its config or container is invalid, its
 * kernel's boot threw): it logs the cause once, as one error-level line, and then answers every unit
 * the same safe way, instead of exiting and being respawned by rr in a loop. Clients never see the
 * cause; the log names it.
 */
export async function bootFailed(error: unknown, options: BootFailedOptions): Promise<ModeWorker> {
  await options.logError(
    `roadrunner-runtime: the ${options.mode || '(no RR_MODE)'} worker failed to boot and answers every unit as unavailable until it is replaced: ${causeChain(error)}`,
  );
  const answer = options.answer ?? ((unit: UnitOfWork) => unit.error('the worker failed to boot (see the worker log)'));
  return { handle: answer };
}

/** `message: cause's message: ...`, on one line: what a log line needs to name the cause. */
export function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    const text = current instanceof Error ? `${current.name}: ${current.message}` : String(current);
    if (!parts.some((part) => part.includes(text.replace(/^\w+: /, '')))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ').replace(/\s*\n\s*/g, ' ');
}

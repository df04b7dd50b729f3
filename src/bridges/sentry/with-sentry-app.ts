import type { ModeFactory, WorkerApp } from '../../runtime/app/define-app.js';
import type { SentryOptions } from './sentry-options.js';
import { withSentry } from './with-sentry.js';

/**
 * Applies {@link withSentry} to every mode of `app` (HTTP, jobs, Centrifugo, Temporal...), with
 * the same options; `events` and anything else on the app are kept. The usual way in:
 *
 * ```ts
 * export default withSentryApp(defineApp({ modes: { http: httpMode({ container }), jobs: jobsFactory } }));
 * ```
 */
export function withSentryApp<App extends WorkerApp>(app: App, options: SentryOptions = {}): App {
  const modes: Record<string, ModeFactory> = {};
  for (const [mode, factory] of Object.entries(app.modes)) {
    if (factory) modes[mode] = withSentry(factory, options);
  }
  return { ...app, modes };
}

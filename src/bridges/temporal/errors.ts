/**
 * Every error the Temporal bridge throws on purpose. `instanceof TemporalError` catches all of
 * them: a missing optional package, a `temporal:` config entry that names nothing, the server out
 * of reach, a workflow that failed.
 */
import { RuntimeError } from '../../runtime/errors.js';

/** Base class of the Temporal bridge's errors. */
export class TemporalError extends RuntimeError {}

/**
 * The Temporal bridge is used but one of the SDK packages it loads cannot be imported. They are
 * optional peer dependencies: apps that do not use Temporal never install them.
 */
export class TemporalNotInstalledError extends TemporalError {
  /** The package that failed to import, e.g. `@temporalio/worker`. */
  readonly packageName: string;

  constructor(packageName: string, options?: { cause?: unknown }) {
    super(
      'ERR_TEMPORAL_NOT_INSTALLED',
      `the Temporal bridge needs ${packageName}, which cannot be imported; install the Temporal SDK packages (npm install @temporalio/client @temporalio/worker @temporalio/activity @temporalio/workflow)`,
      options,
    );
    this.packageName = packageName;
  }
}

/**
 * A `temporal:` config value cannot be used: a malformed module reference, an activity export that
 * is not a class, two activities with the same name, a TLS file that cannot be read. `path` is the
 * key path (`temporal.workers.default.activity[0]`).
 */
export class TemporalConfigError extends TemporalError {
  /** The config key at fault, e.g. `temporal.workers.default.activity[0]`. */
  readonly path: string;

  constructor(path: string, problem: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'ERR_TEMPORAL_CONFIG', `${path}: ${problem}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = path;
  }
}

/** A workflow or activity reference names a module that does not exist (or cannot be resolved). */
export class TemporalModuleNotFoundError extends TemporalConfigError {
  /** The reference as written in the config, e.g. `./temporal/greeting.ts#GreetingActivity`. */
  readonly reference: string;
  /** Where the module was looked for: an absolute path, or the package specifier. */
  readonly module: string;

  constructor(path: string, reference: string, module: string, options?: { cause?: unknown }) {
    super(path, `"${reference}": module ${module} does not exist`, { ...options, code: 'ERR_TEMPORAL_MODULE_NOT_FOUND' });
    this.reference = reference;
    this.module = module;
  }
}

/** A workflow or activity reference names an export its module does not have. */
export class TemporalExportNotFoundError extends TemporalConfigError {
  /** The reference as written in the config. */
  readonly reference: string;
  /** The module's absolute path. */
  readonly module: string;
  /** The missing export's name (`default` for a reference without `#`). */
  readonly exportName: string;
  /** What the module does export, for the message's hint. */
  readonly available: readonly string[];

  constructor(path: string, details: { reference: string; module: string; exportName: string; available: readonly string[] }) {
    const hint = details.available.length === 0 ? 'it exports nothing' : `it exports ${details.available.join(', ')}`;
    super(path, `"${details.reference}": ${details.module} has no export "${details.exportName}" (${hint})`, { code: 'ERR_TEMPORAL_EXPORT_NOT_FOUND' });
    this.reference = details.reference;
    this.module = details.module;
    this.exportName = details.exportName;
    this.available = details.available;
  }
}

/** Bundling the workflow code failed for a reason other than a missing module or export (a syntax error, a disallowed import). */
export class TemporalWorkflowBundleError extends TemporalError {
  /** The worker (key of `temporal.workers`) whose workflows failed to bundle. */
  readonly worker: string;

  constructor(worker: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_TEMPORAL_WORKFLOW_BUNDLE', `the workflows of Temporal worker "${worker}" could not be bundled: ${detail}`, options);
    this.worker = worker;
  }
}

/**
 * The Temporal server could not be reached (or refused the connection) at `address`. Never carries
 * the API key.
 */
export class TemporalConnectionError extends TemporalError {
  /** The `host:port` that was tried. */
  readonly address: string;

  constructor(address: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_TEMPORAL_CONNECTION', `cannot reach the Temporal server at ${address}: ${detail}`, options);
    this.address = address;
  }
}

/**
 * The module given to the Temporal worker entry has no usable export: it must export what
 * `temporalWorkers()` returns, as `temporal` (or the name after `#`).
 */
export class TemporalEntryError extends TemporalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TEMPORAL_ENTRY', message, options);
  }
}

/** Base class of the errors `TemporalClient` throws. `workflowId` is set when one workflow was addressed. */
export class TemporalClientError extends TemporalError {
  readonly workflowId: string | undefined;

  constructor(code: string, message: string, details: { workflowId?: string | undefined; cause?: unknown } = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.workflowId = details.workflowId;
  }
}

/**
 * The workflow ended in failure (or was cancelled, terminated or timed out). `cause` is the SDK's
 * failure chain, e.g. an `ActivityFailure` whose own cause is the activity's `ApplicationFailure`.
 */
export class TemporalWorkflowFailedError extends TemporalClientError {
  declare readonly workflowId: string;

  constructor(workflowId: string, detail: string, cause: unknown) {
    super('ERR_TEMPORAL_WORKFLOW_FAILED', `workflow ${workflowId} failed: ${detail}`, { workflowId, cause });
  }
}

/** No workflow execution with that id (and run id) exists in the namespace. */
export class TemporalWorkflowNotFoundError extends TemporalClientError {
  declare readonly workflowId: string;

  constructor(workflowId: string, cause: unknown) {
    super('ERR_TEMPORAL_WORKFLOW_NOT_FOUND', `workflow ${workflowId} was not found`, { workflowId, cause });
  }
}

/** A workflow with that id is already running (the id reuse policy refused a second one). */
export class TemporalWorkflowAlreadyStartedError extends TemporalClientError {
  declare readonly workflowId: string;

  constructor(workflowId: string, cause: unknown) {
    super('ERR_TEMPORAL_WORKFLOW_ALREADY_STARTED', `workflow ${workflowId} is already running`, { workflowId, cause });
  }
}

/** A query was not answered: the workflow does not define it, or rejected it. */
export class TemporalQueryError extends TemporalClientError {
  declare readonly workflowId: string;
  /** The query's name. */
  readonly query: string;

  constructor(workflowId: string, query: string, detail: string, cause: unknown) {
    super('ERR_TEMPORAL_QUERY', `query "${query}" on workflow ${workflowId} failed: ${detail}`, { workflowId, cause });
    this.query = query;
  }
}

import type * as ClientSdk from '@temporalio/client';
import type { Client, QueryDefinition, SignalDefinition, Workflow, WorkflowResultType, WorkflowStartOptions } from '@temporalio/client';
import {
  TemporalClientError,
  TemporalConnectionError,
  TemporalQueryError,
  TemporalWorkflowAlreadyStartedError,
  TemporalWorkflowFailedError,
  TemporalWorkflowNotFoundError,
} from './errors.js';

/** `WorkflowStartOptions` of the SDK, with `taskQueue` optional (see {@link TemporalClientOptions.defaultTaskQueue}). */
export type StartWorkflowOptions<T extends Workflow> = Omit<WorkflowStartOptions<T>, 'taskQueue'> & {
  /** Default: {@link TemporalClientOptions.defaultTaskQueue}. */
  taskQueue?: string;
};

/** A workflow that was started: its ids, and its result with the client's typed errors. */
export interface StartedWorkflow<T extends Workflow> {
  readonly workflowId: string;
  /** The run id of the execution this call started. */
  readonly runId: string;
  /** Waits for the workflow to complete (following continue-as-new). */
  result(): Promise<WorkflowResultType<T>>;
}

/** Options of {@link TemporalClient}. */
export interface TemporalClientOptions {
  /** The SDK's `@temporalio/client` module, for its error classes. */
  sdk: typeof ClientSdk;
  /** The SDK client the calls go through; closed with its connection by {@link TemporalClient.close}. */
  client: Client;
  /** The server's `host:port`, for error messages. */
  address: string;
  /**
   * Task queue used when a start call names none: the `default` entry of `temporal.workers`, or
   * the only entry. Undefined: every start call must name one.
   */
  defaultTaskQueue?: string | undefined;
}

/**
 * Starts, signals, queries and awaits workflows, the container's `TEMPORAL_CLIENT`. Every failure
 * is a typed `TemporalClientError`: `TemporalWorkflowFailedError` (with the SDK's failure chain as
 * `cause`), `TemporalWorkflowNotFoundError`, `TemporalWorkflowAlreadyStartedError`,
 * `TemporalQueryError`, `TemporalConnectionError` when the server is out of reach. For anything
 * else the SDK offers (schedules, updates, visibility), {@link sdk} is the SDK's own `Client`.
 *
 * ```ts
 * const greeting = await temporal.execute(greetingWorkflow, { workflowId: `greeting-${id}`, args: ['Ada'] });
 * ```
 */
export class TemporalClient {
  readonly #sdk: typeof ClientSdk;
  readonly #client: Client;
  readonly #address: string;
  readonly #defaultTaskQueue: string | undefined;

  constructor(options: TemporalClientOptions) {
    this.#sdk = options.sdk;
    this.#client = options.client;
    this.#address = options.address;
    this.#defaultTaskQueue = options.defaultTaskQueue;
  }

  /** The SDK's `Client`, for what this class does not wrap. Its errors are the SDK's own. */
  get sdk(): Client {
    return this.#client;
  }

  /** Starts a workflow (by function or type name) and returns without waiting for it. */
  async start<T extends Workflow>(workflow: string | T, options: StartWorkflowOptions<T>): Promise<StartedWorkflow<T>> {
    const handle = await this.#call(options.workflowId, () => this.#client.workflow.start(workflow, this.#withTaskQueue(options)));
    return {
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      result: () => this.#call(handle.workflowId, () => handle.result()),
    };
  }

  /** Starts a workflow and waits for its result. */
  async execute<T extends Workflow>(workflow: string | T, options: StartWorkflowOptions<T>): Promise<WorkflowResultType<T>> {
    return (await this.start(workflow, options)).result();
  }

  /** Waits for the result of a workflow started earlier (by anyone). */
  async result<T extends Workflow = Workflow>(workflowId: string, runId?: string): Promise<WorkflowResultType<T>> {
    return this.#call(workflowId, () => this.#client.workflow.getHandle<T>(workflowId, runId).result());
  }

  /** Sends a signal to a running workflow. */
  async signal<Args extends unknown[]>(workflowId: string, signal: SignalDefinition<Args> | string, ...args: Args): Promise<void> {
    await this.#call(workflowId, () => this.#client.workflow.getHandle(workflowId).signal(signal, ...args));
  }

  /** Asks a workflow (running or closed) a query. */
  async query<Result, Args extends unknown[] = []>(workflowId: string, query: QueryDefinition<Result, Args> | string, ...args: Args): Promise<Result> {
    const name = typeof query === 'string' ? query : query.name;
    return this.#call(workflowId, () => this.#client.workflow.getHandle(workflowId).query<Result, Args>(query, ...args), name);
  }

  /** Requests cancellation of a running workflow; its result then fails with a `CancelledFailure` cause. */
  async cancel(workflowId: string): Promise<void> {
    await this.#call(workflowId, () => this.#client.workflow.getHandle(workflowId).cancel());
  }

  /** Closes the connection. Called by the container when it is disposed. */
  async close(): Promise<void> {
    await this.#client.connection.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #withTaskQueue<T extends Workflow>(options: StartWorkflowOptions<T>): WorkflowStartOptions<T> {
    const taskQueue = options.taskQueue ?? this.#defaultTaskQueue;
    if (taskQueue === undefined) {
      throw new TemporalClientError(
        'ERR_TEMPORAL_NO_TASK_QUEUE',
        `starting workflow ${options.workflowId}: no taskQueue given, and temporal.workers has neither a "default" entry nor a single one to take it from`,
        { workflowId: options.workflowId },
      );
    }
    return { ...options, taskQueue } as WorkflowStartOptions<T>;
  }

  async #call<R>(workflowId: string, call: () => Promise<R>, query?: string): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw this.#translate(error, workflowId, query);
    }
  }

  #translate(error: unknown, workflowId: string, query: string | undefined): unknown {
    const sdk = this.#sdk;
    if (error instanceof TemporalClientError) return error;
    if (query !== undefined && error instanceof sdk.QueryNotRegisteredError) return new TemporalQueryError(workflowId, query, 'the workflow defines no such query', error);
    if (query !== undefined && error instanceof sdk.QueryRejectedError) return new TemporalQueryError(workflowId, query, 'the workflow rejected it', error);
    if (error instanceof sdk.WorkflowFailedError) return new TemporalWorkflowFailedError(workflowId, failureChain(error), error.cause ?? error);
    if (error instanceof sdk.WorkflowNotFoundError) return new TemporalWorkflowNotFoundError(workflowId, error);
    if (error instanceof sdk.WorkflowExecutionAlreadyStartedError) return new TemporalWorkflowAlreadyStartedError(workflowId, error);
    if (isUnreachable(error)) return new TemporalConnectionError(this.#address, messageOf(error), { cause: error });
    if (error instanceof sdk.ServiceError) {
      return new TemporalClientError('ERR_TEMPORAL_SERVICE', `workflow ${workflowId}: the Temporal server refused the call: ${failureChain(error)}`, { workflowId, cause: error });
    }
    return error;
  }
}

/** gRPC status codes that mean "no server answered": UNAVAILABLE, DEADLINE_EXCEEDED (while connecting). */
const UNREACHABLE_CODES = new Set([14, 4]);

function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number' && UNREACHABLE_CODES.has(code)) return true;
  }
  return false;
}

/** "Activity task failed: card declined": the messages down the failure's cause chain, outermost first. */
function failureChain(error: Error): string {
  const messages: string[] = [];
  for (let current: unknown = error.cause; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.length === 0 ? error.message : messages.join(': ');
}

function messageOf(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.join(': ') || String(error);
}

/**
 * Every error the container throws on purpose. Each says what was wrong and names the service (or
 * the dependency chain) involved, and carries a stable `code` so callers can branch without
 * matching on messages.
 */
import { describeId, type ServiceId } from './service-id.js';

/** Base class: `instanceof ContainerError` catches everything the container throws deliberately. */
export class ContainerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One service that failed while being reset or disposed. */
export interface ServiceFailure {
  /** The id the service is registered under. */
  readonly id: ServiceId;
  /** The same id, printable. */
  readonly service: string;
  /** What its `reset()` / disposer threw. */
  readonly error: unknown;
}

const quote = (id: ServiceId): string => `"${describeId(id)}"`;

function listFailures(failures: readonly ServiceFailure[]): string {
  return failures.map((f) => `"${f.service}": ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
}

/** Invalid container configuration: a bad binding, a misplaced decorator, an unknown adapter. */
export class ContainerConfigError extends ContainerError {
  constructor(message: string) {
    super('ERR_CONTAINER_CONFIG', message);
  }
}

/** Nothing is registered under the id that was asked for. */
export class ServiceNotFoundError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId, hint = '') {
    super('ERR_SERVICE_NOT_FOUND', `no service is registered as ${quote(id)}${hint}`);
    this.id = id;
  }
}

/** Two registrations claim the same id (or alias). */
export class DuplicateServiceError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId, first: string, second: string) {
    super('ERR_DUPLICATE_SERVICE', `${quote(id)} is registered twice: by ${first} and by ${second}`);
    this.id = id;
  }
}

/**
 * A class constructor parameter has no `@Inject(token)`. tsx and esbuild emit no
 * `design:paramtypes`, so the container cannot guess parameter types and requires one on each.
 */
export class MissingInjectError extends ContainerError {
  /** The class name. */
  readonly service: string;
  /** Zero-based indexes of the undecorated parameters. */
  readonly parameters: readonly number[];

  constructor(service: string, parameters: readonly number[]) {
    const which = parameters.map((i) => `#${i}`).join(', ');
    super(
      'ERR_MISSING_INJECT',
      `"${service}" constructor parameter ${which} has no @Inject(token): every constructor parameter needs one ` +
        '(tsx/esbuild emit no parameter type metadata to guess it from)',
    );
    this.service = service;
    this.parameters = parameters;
  }
}

/** A service needs an id that nothing provides (and the dependency is not optional). */
export class MissingDependencyError extends ContainerError {
  readonly service: string;
  readonly dependency: ServiceId;

  constructor(service: string, where: string, dependency: ServiceId) {
    super(
      'ERR_MISSING_DEPENDENCY',
      `"${service}" needs ${quote(dependency)} (${where}), but nothing is registered as ${quote(dependency)}; ` +
        'register it, or mark the dependency optional',
    );
    this.service = service;
    this.dependency = dependency;
  }
}

/** A private service (`public: false`) was asked for by id; it can only be injected. */
export class PrivateServiceError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId) {
    super(
      'ERR_PRIVATE_SERVICE',
      `${quote(id)} is private (public: false): it can be injected into other services but not fetched by id; ` +
        'make it public or fetch a public service that depends on it',
    );
    this.id = id;
  }
}

/** A request-scoped service (or something depending on one) was asked for outside a request scope. */
export class ScopeRequiredError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId, chain?: readonly string[]) {
    const why = chain === undefined ? 'is request-scoped' : `depends on a request-scoped service (${chain.join(' -> ')})`;
    super(
      'ERR_SCOPE_REQUIRED',
      `${quote(id)} ${why}: resolve it from a RequestScope (container.createScope()), not from the root container`,
    );
    this.id = id;
  }
}

/**
 * A singleton depends, directly or through other services, on a request-scoped one: it would keep
 * the first request's instance for the life of the worker and leak it into every later request.
 */
export class CaptiveDependencyError extends ContainerError {
  /** Printable hops from the singleton to the request-scoped service, aliases annotated. */
  readonly chain: readonly string[];

  /**
   * @param foundWhileBuilding set when the chain runs through a vendor-native registration whose
   * dependencies only show when it runs (a dynamic value, a factory): caught as the singleton was built.
   */
  constructor(chain: readonly string[], foundWhileBuilding = false) {
    const head = chain[0] ?? '?';
    const tail = chain[chain.length - 1] ?? '?';
    const hops = chain.map((hop, i) => (i === 0 ? `singleton ${hop}` : i === chain.length - 1 ? `request-scoped ${hop}` : hop));
    super(
      'ERR_CAPTIVE_DEPENDENCY',
      `captive dependency: ${hops.join(foundWhileBuilding ? ' -> ... -> ' : ' -> ')}. A singleton lives as long as the worker and would keep the first ` +
        `request's ${tail} forever; make ${head} request-scoped, or stop it depending on ${tail}` +
        (foundWhileBuilding
          ? ` (found while building ${head}: its chain goes through a registration whose dependencies createContainer() cannot see)`
          : ''),
    );
    this.chain = chain;
  }
}

/** Services depend on each other in a loop. */
export class CircularDependencyError extends ContainerError {
  readonly chain: readonly string[];

  constructor(chain: readonly string[]) {
    super('ERR_CIRCULAR_DEPENDENCY', `circular dependency: ${chain.join(' -> ')}`);
    this.chain = chain;
  }
}

/** A constructor or factory threw while the container was creating a service. */
export class ServiceCreationError extends ContainerError {
  readonly service: string;

  constructor(service: string, cause: unknown) {
    super('ERR_SERVICE_CREATION', `could not create "${service}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.service = service;
  }
}

/** A `fromScope` id was needed but the scope was created without its value. */
export class ScopeValueMissingError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId) {
    super(
      'ERR_SCOPE_VALUE_MISSING',
      `${quote(id)} is supplied per scope (fromScope), but this scope has no value for it: ` +
        'pass it to container.createScope() or call scope.provide() before resolving',
    );
    this.id = id;
  }
}

/** `scope.provide()` was refused: undeclared id, not request-scoped, or already resolved in this scope. */
export class ScopeProvideError extends ContainerError {
  readonly id: ServiceId;

  constructor(id: ServiceId, reason: string) {
    super('ERR_SCOPE_PROVIDE', `cannot provide ${quote(id)} to this scope: ${reason}`);
    this.id = id;
  }
}

/** `currentScope()` was called outside `scope.run()`. */
export class NoActiveScopeError extends ContainerError {
  constructor() {
    super(
      'ERR_NO_ACTIVE_SCOPE',
      'no request scope is active here: currentScope() only works inside scope.run() of a container created with asyncContext on (the default; createContainer({ asyncContext: false }) turns it off)',
    );
  }
}

/** A container or scope was used after `dispose()`. */
export class DisposedError extends ContainerError {
  constructor(what: 'container' | 'request scope', action: string) {
    super('ERR_DISPOSED', `cannot ${action}: this ${what} was disposed`);
  }
}

/** An override could not be applied or restored. */
export class OverrideError extends ContainerError {
  constructor(message: string) {
    super('ERR_OVERRIDE', message);
  }
}

/** One or more disposers threw; all of them ran anyway. */
export class DisposalError extends ContainerError {
  readonly failures: readonly ServiceFailure[];

  constructor(what: 'container' | 'request scope', failures: readonly ServiceFailure[]) {
    super('ERR_DISPOSAL', `${failures.length} service(s) failed to dispose with the ${what}: ${listFailures(failures)}`);
    this.failures = failures;
  }
}

/**
 * One or more `reset()` calls threw; all services were still reset. The worker should ask rr to
 * replace it: per-request state may have survived.
 */
export class ServicesResetError extends ContainerError {
  readonly failures: readonly ServiceFailure[];

  constructor(failures: readonly ServiceFailure[]) {
    super('ERR_SERVICES_RESET', `${failures.length} service(s) failed to reset: ${listFailures(failures)}`);
    this.failures = failures;
  }
}

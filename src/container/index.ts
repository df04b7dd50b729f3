/**
 * Dependency injection for long-lived workers: singletons built once from the root, a cheap lazy
 * scope per unit of work (HTTP request, job, message), a `Resettable` contract, captive-dependency
 * checks and test overrides, on top of inversify 8 (default) or tsyringe 4 as real engines: hand
 * in your own inversify `Container` or tsyringe container (`createContainer({ adapter })`) and its
 * native registrations resolve through this container and its scopes too (docs/container.md).
 * Knows nothing of RoadRunner.
 *
 * ```ts
 * import 'reflect-metadata'; // only needed for the tsyringe adapter
 * import { createContainer, createToken, currentScope, Inject, Service, ServicesResetter, type Resettable } from 'roadrunner-runtime/container';
 *
 * const HTTP_REQUEST = createToken<Request>('HTTP_REQUEST');
 *
 * @Service({ scope: 'request' })
 * class CurrentUser {
 *   constructor(@Inject(HTTP_REQUEST) readonly request: Request) {}
 * }
 *
 * @Service({ aliases: ['app.audit'], tags: ['event.listener'], resettable: true })
 * class AuditLog implements Resettable {
 *   private lines: string[] = [];
 *   write(line: string) { this.lines.push(line); }
 *   reset() { this.lines = []; } // declared resettable: cleared after every unit of work
 * }
 *
 * const container = createContainer({
 *   services: [CurrentUser, AuditLog],
 *   bindings: [{ id: HTTP_REQUEST, fromScope: true }],
 * });
 * container.boot(); // singletons created from the root; graph already checked
 * const resetter = new ServicesResetter(container);
 *
 * async function handle(request: Request): Promise<Response> {
 *   const scope = container.createScope([[HTTP_REQUEST, request]]);
 *   try {
 *     return await scope.run(async () => {
 *       const user = currentScope().get(CurrentUser); // works in any code called from here
 *       container.get(AuditLog).write(user.request.url);
 *       return new Response('ok');
 *     });
 *   } finally {
 *     await resetter.reset(); // throws ServicesResetError: ask rr for a fresh worker
 *     await scope.dispose();
 *   }
 * }
 * ```
 *
 * @module
 */
export { createContainer, type ContainerOptions } from './create-container.js';
export { defaultBindings, provideDefaultBindings } from './default-bindings.js';
export type { Container, ScopeValues, UncheckedService } from './container.js';
export type { ServiceDescription } from './service-description.js';
export type { RequestScope } from './request-scope.js';
export { SETTLED } from './settled.js';
export type { Resolver } from './resolver.js';
export { currentScope, findCurrentScope } from './current-scope.js';

export { Service, type ServiceOptions } from './decorators/service.js';
export { Inject } from './decorators/inject.js';
export { Optional } from './decorators/optional.js';

export type {
  AliasBinding,
  Binding,
  BindingBase,
  ClassBinding,
  FactoryBinding,
  ResettableOption,
  ScopeValueBinding,
  ServiceScope,
  ValueBinding,
} from './binding.js';
export { optional, type Dependency, type OptionalDependency } from './dependency.js';
export { createToken, describeId, type AbstractNewable, type Newable, type ServiceId, type Tag, type Token } from './service-id.js';

export type { Resettable } from './resettable.js';
export { ServicesResetter } from './services-resetter.js';

export type { Override, OverrideHandle } from './override.js';
export { restoreOverridesAfterEach, type AfterEachHook } from './restore-overrides-after-each.js';

export type {
  AdapterBinding,
  AdapterDependency,
  AdapterHost,
  AdapterKey,
  ContainerAdapter,
  NativeDependency,
  NativeService,
  UnitOwner,
  VendorUnit,
} from './adapters/container-adapter.js';
export { inversifyAdapter, type InversifyContainerLike } from './adapters/inversify-adapter.js';
export { tsyringeAdapter, type TsyringeContainerLike } from './adapters/tsyringe-adapter.js';

export {
  CaptiveDependencyError,
  CircularDependencyError,
  ContainerConfigError,
  ContainerError,
  DisposalError,
  DisposedError,
  DuplicateServiceError,
  MissingDependencyError,
  MissingInjectError,
  NoActiveScopeError,
  OverrideError,
  PrivateServiceError,
  ScopeProvideError,
  ScopeRequiredError,
  ScopeValueMissingError,
  ServiceCreationError,
  ServiceNotFoundError,
  ServicesResetError,
  type ServiceFailure,
} from './errors.js';

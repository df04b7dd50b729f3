/**
 * What a request scope costs per unit of work, against the same async loop without one.
 *
 *   npx tsx bench/scope.ts        (npm run bench:scope)
 *
 * Three loops run interleaved, round-robin, so JIT tiers, GC and the process-wide promise hooks
 * AsyncLocalStorage switches on affect all of them alike:
 *   bare   await handler()
 *   empty  scope = createScope(); await scope.run(handler); await scope.dispose()
 *   full   the same, resolving 3 request-scoped services inside run() (via currentScope()), then
 *          ServicesResetter resetting the 2 resettable singletons the container created
 * Each sample times a batch (one iteration is below the timer's useful resolution) and divides.
 *
 * Then, per vendor, a unit of work resolving a service registered natively as request-scoped in the
 * user's own container (inversify `inRequestScope()`, tsyringe `Lifecycle.ContainerScoped`), with
 * its per-unit value and a singleton dependency, two ways, interleaved:
 *   ours    createScope([[HTTP_REQUEST, value]]); run(get Cart); dispose()
 *   vendor  the vendor's own unit of work: a child container given the value, resolving Cart
 *
 * The last line reports p50(empty) - p50(bare) and p50(full) - p50(bare) on the inversify adapter.
 */
import 'reflect-metadata';
import { Container as InversifyContainer, ContainerModule, inject as inversifyInject, injectable as inversifyInjectable } from 'inversify';
import { container as tsyringeGlobal, inject as tsyringeInject, injectable as tsyringeInjectable, Lifecycle } from 'tsyringe';
import {
  createContainer,
  createToken,
  currentScope,
  Inject,
  Service,
  ServicesResetter,
  type Container,
  type Resettable,
} from '../src/container/index.js';

const BATCH = 2_000;
/** Vendor-native units build a service each: fewer per sample keeps the run short. */
const NATIVE_BATCH = 200;
const WARMUP_ROUNDS = 60;
const ROUNDS = 300;

@Service()
class Clock {
  now(): number {
    return 1_700_000_000_000;
  }
}

@Service({ resettable: true })
class IdentityMap implements Resettable {
  private entries = new Map<string, unknown>();
  remember(id: string, entity: unknown): void {
    this.entries.set(id, entity);
  }
  reset(): void {
    this.entries.clear();
  }
}

@Service({ resettable: true })
class Metrics implements Resettable {
  private requests = 0;
  count(): void {
    this.requests++;
  }
  async reset(): Promise<void> {
    this.requests = 0;
  }
}

@Service({ scope: 'request' })
class RequestContext {
  constructor(@Inject(Clock) readonly clock: Clock) {}
  readonly startedAt = 0;
}

@Service({ scope: 'request' })
class CurrentUser {
  readonly id = 'user-1';
}

@Service({ scope: 'request' })
class OrderRepository {
  constructor(
    @Inject(RequestContext) readonly context: RequestContext,
    @Inject(CurrentUser) readonly user: CurrentUser,
    @Inject(IdentityMap) readonly identities: IdentityMap,
  ) {}
}

const handler = async (): Promise<number> => 1;

async function fullUnit(): Promise<number> {
  const scope = currentScope();
  const repo = scope.get(OrderRepository);
  scope.get(RequestContext);
  scope.get(CurrentUser);
  repo.identities.remember(repo.user.id, repo.user);
  return handler();
}

type Loop = () => Promise<void>;

function loops(container: Container): { bare: Loop; empty: Loop; full: Loop } {
  const resetter = new ServicesResetter(container);
  container.get(Metrics).count();
  return {
    async bare() {
      for (let i = 0; i < BATCH; i++) await handler();
    },
    async empty() {
      for (let i = 0; i < BATCH; i++) {
        const scope = container.createScope();
        await scope.run(handler);
        await scope.dispose();
      }
    },
    async full() {
      for (let i = 0; i < BATCH; i++) {
        const scope = container.createScope();
        await scope.run(fullUnit);
        await resetter.reset();
        await scope.dispose();
      }
    },
  };
}

async function time(loop: Loop, batch = BATCH): Promise<number> {
  const start = process.hrtime.bigint();
  await loop();
  return Number(process.hrtime.bigint() - start) / batch / 1_000;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Result {
  adapter: string;
  p50: Record<'bare' | 'empty' | 'full', number>;
  p90: Record<'bare' | 'empty' | 'full', number>;
}

async function measure(adapter: 'inversify' | 'tsyringe'): Promise<Result> {
  const container = createContainer({ adapter, services: [Clock, IdentityMap, Metrics, RequestContext, CurrentUser, OrderRepository] });
  container.boot();
  const variants = loops(container);
  const names = ['bare', 'empty', 'full'] as const;
  const samples = { bare: [] as number[], empty: [] as number[], full: [] as number[] };
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const name of names) {
      const us = await time(variants[name]);
      if (round >= WARMUP_ROUNDS) samples[name].push(us);
    }
  }
  if (container.resettable.size !== 2) throw new Error(`expected 2 resettable singletons, found ${container.resettable.size}`);
  await container.dispose();
  const pick = (p: number) => ({ bare: percentile(samples.bare, p), empty: percentile(samples.empty, p), full: percentile(samples.full, p) });
  return { adapter, p50: pick(50), p90: pick(90) };
}

const fmt = (us: number) => us.toFixed(3);

function report(result: Result): void {
  const { p50, p90 } = result;
  console.log(`${result.adapter}: per unit of work, ${ROUNDS} samples x ${BATCH} iterations`);
  console.log(`  bare loop              p50 ${fmt(p50.bare)} us   p90 ${fmt(p90.bare)} us`);
  console.log(`  scope, nothing used    p50 ${fmt(p50.empty)} us   p90 ${fmt(p90.empty)} us   overhead p50 ${fmt(p50.empty - p50.bare)} us`);
  console.log(`  scope + 3 req + reset  p50 ${fmt(p50.full)} us   p90 ${fmt(p90.full)} us   overhead p50 ${fmt(p50.full - p50.bare)} us`);
}

const HTTP_REQUEST = createToken<{ id: number }>('HTTP_REQUEST');

interface NativeLoops {
  ours: Loop;
  vendor: Loop;
  /** What the vendor's own unit of work is, for the report. */
  vendorUnit: string;
  container: Container;
}

/** inversify: Cart bound inRequestScope() in the user's container; the vendor's unit is a child Container. */
function inversifyNative(): NativeLoops {
  @inversifyInjectable()
  class Clock {}
  @inversifyInjectable()
  class Cart {
    constructor(@inversifyInject(HTTP_REQUEST) readonly request: { id: number }, @inversifyInject(Clock) readonly clock: Clock) {}
  }
  const user = new InversifyContainer();
  user.load(
    new ContainerModule(({ bind }) => {
      bind(Clock).toSelf().inSingletonScope();
      bind(Cart).toSelf().inRequestScope();
    }),
  );
  const container = createContainer({ adapter: user, bindings: [{ id: HTTP_REQUEST, fromScope: true }] });
  container.boot();
  return {
    container,
    vendorUnit: 'new Container({ parent }) + bind value + get',
    ...nativeLoops(container, Cart, (id) => {
      const child = new InversifyContainer({ parent: user });
      child.bind(HTTP_REQUEST).toConstantValue({ id });
      return child.get(Cart);
    }),
  };
}

/** tsyringe: Cart registered ContainerScoped in the user's container; the vendor's unit is createChildContainer(). */
function tsyringeNative(): NativeLoops {
  @tsyringeInjectable()
  class Clock {}
  @tsyringeInjectable()
  class Cart {
    constructor(@tsyringeInject(HTTP_REQUEST) readonly request: { id: number }, @tsyringeInject(Clock) readonly clock: Clock) {}
  }
  const user = tsyringeGlobal.createChildContainer();
  user.registerSingleton(Clock);
  user.register(Cart, { useClass: Cart }, { lifecycle: Lifecycle.ContainerScoped });
  const container = createContainer({ adapter: user, bindings: [{ id: HTTP_REQUEST, fromScope: true }] });
  container.boot();
  return {
    container,
    vendorUnit: 'createChildContainer() + register value + resolve',
    ...nativeLoops(container, Cart, (id) => {
      const child = user.createChildContainer();
      child.register(HTTP_REQUEST, { useValue: { id } });
      return child.resolve(Cart);
    }),
  };
}

function nativeLoops(container: Container, Cart: abstract new (...args: any[]) => { request: { id: number } }, vendorUnit: (id: number) => { request: { id: number } }) {
  const resolveCart = () => currentScope().get(Cart).request.id;
  return {
    async ours() {
      for (let i = 0; i < NATIVE_BATCH; i++) {
        const scope = container.createScope([[HTTP_REQUEST, { id: i }]]);
        if ((await scope.run(resolveCart)) !== i) throw new Error('ours: wrong unit');
        await scope.dispose();
      }
    },
    async vendor() {
      for (let i = 0; i < NATIVE_BATCH; i++) {
        if ((await Promise.resolve(vendorUnit(i))).request.id !== i) throw new Error('vendor: wrong unit');
      }
    },
  };
}

async function measureNative(name: string, make: () => NativeLoops): Promise<void> {
  const { ours, vendor, vendorUnit, container } = make();
  const samples = { ours: [] as number[], vendor: [] as number[] };
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const which of ['ours', 'vendor'] as const) {
      const us = await time(which === 'ours' ? ours : vendor, NATIVE_BATCH);
      if (round >= WARMUP_ROUNDS) samples[which].push(us);
    }
  }
  await container.dispose();
  const p50 = { ours: percentile(samples.ours, 50), vendor: percentile(samples.vendor, 50) };
  const p90 = { ours: percentile(samples.ours, 90), vendor: percentile(samples.vendor, 90) };
  console.log(`${name}: a native request-scoped service per unit of work, ${ROUNDS} samples x ${NATIVE_BATCH} units`);
  console.log(`  ours (createScope, get, dispose)  p50 ${fmt(p50.ours)} us   p90 ${fmt(p90.ours)} us`);
  console.log(`  ${name} (${vendorUnit})  p50 ${fmt(p50.vendor)} us   p90 ${fmt(p90.vendor)} us   vendor/ours p50 ${(p50.vendor / p50.ours).toFixed(2)}x`);
}

console.log(`node ${process.version}`);
const tsyringe = await measure('tsyringe');
report(tsyringe);
const inversify = await measure('inversify');
report(inversify);
await measureNative('tsyringe', tsyringeNative);
await measureNative('inversify', inversifyNative);
const a = inversify.p50.empty - inversify.p50.bare;
const b = inversify.p50.full - inversify.p50.bare;
console.log(`scope overhead p50: ${a.toFixed(2)} us empty, ${b.toFixed(2)} us with 3 request services + 2 resets`);

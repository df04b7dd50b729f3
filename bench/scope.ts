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
 * The last line reports p50(empty) - p50(bare) and p50(full) - p50(bare) on the inversify adapter.
 */
import 'reflect-metadata';
import {
  createContainer,
  currentScope,
  Inject,
  Service,
  ServicesResetter,
  type Container,
  type Resettable,
} from '../src/container/index.js';

const BATCH = 2_000;
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

async function time(loop: Loop): Promise<number> {
  const start = process.hrtime.bigint();
  await loop();
  return Number(process.hrtime.bigint() - start) / BATCH / 1_000;
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

console.log(`node ${process.version}`);
const tsyringe = await measure('tsyringe');
report(tsyringe);
const inversify = await measure('inversify');
report(inversify);
const a = inversify.p50.empty - inversify.p50.bare;
const b = inversify.p50.full - inversify.p50.bare;
console.log(`scope overhead p50: ${a.toFixed(2)} us empty, ${b.toFixed(2)} us with 3 request services + 2 resets`);

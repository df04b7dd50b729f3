/**
 * A/B comparison over pipes: two checkouts of this repository (say main's and a branch's), each
 * worker driven by its own `pipe-driver.ts`, in alternating rounds; prints the median and minimum
 * worker CPU per request of each (the minimum is the least disturbed by other load on the machine).
 *
 *   npx tsx bench/support/ab-pipes.ts DIR_A DIR_B [--rounds 8] [--requests 10000] [--app ...] [--path /] [--raw] [--mode jobs] [--compiled]
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runOverPipes as RunOverPipes } from './pipe-driver.js';

const arg = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
};
const dirs = process.argv.slice(2, 4).map((dir) => resolve(dir));
const rounds = Number(arg('rounds') ?? 8);
const requests = Number(arg('requests') ?? 10000);
const mode = arg('mode') === 'jobs' ? 'jobs' : 'http';
const compiled = process.argv.includes('--compiled');
const app = process.argv.includes('--raw') ? undefined : (arg('app') ?? (mode === 'jobs' ? 'bench/support/jobs-app.ts' : 'bench/support/hello-app.ts'));
const drivers = await Promise.all(
  dirs.map(async (dir) => ((await import(pathToFileURL(join(dir, 'bench', 'support', 'pipe-driver.ts')).href)) as { runOverPipes: typeof RunOverPipes }).runOverPipes),
);
const results: Array<{ cpu: number[]; user: number[] }> = dirs.map(() => ({ cpu: [], user: [] }));
console.log(`load average before: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const i of order) {
    const result = await drivers[i]!({ app, path: arg('path') ?? '/', requests, mode, compiled });
    results[i]!.cpu.push(result.cpuUs);
    results[i]!.user.push(result.userUs);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const [i, dir] of dirs.entries()) {
  const { cpu, user } = results[i]!;
  console.log(`${dir}: median ${median(cpu).toFixed(1)} us (user ${median(user).toFixed(1)}), min ${Math.min(...cpu).toFixed(1)} us; rounds ${cpu.map((n) => n.toFixed(1)).join(' ')}`);
}
console.log(`load average after: ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);

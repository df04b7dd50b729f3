#!/usr/bin/env node
// The project's one test command: type-check, the unit and integration suites, then the suites
// that drive the real `rr serve` (test/e2e), and the closing line `N passed, N failed` (alone on
// its line) that CI reads.
//   node scripts/run-tests.mjs           everything
//   node scripts/run-tests.mjs --unit    type-check and test/** without test/e2e
//   node scripts/run-tests.mjs --e2e     test/e2e/** only (rr, Centrifugo and the Temporal CLI from
//                                        scripts/rr.sh, centrifugo.sh and temporal.sh, built on first use)
// Other arguments go to mocha (e.g. --grep 'KV bridge').
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--e2e') ? 'e2e' : process.argv.includes('--unit') ? 'unit' : undefined;
const extra = process.argv.slice(2).filter((arg) => arg !== '--e2e' && arg !== '--unit');
const bin = (name) => join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;

if (only !== 'e2e') {
  // The repository (sources, tests, benches, example), then src/ alone under the stricter flags the
  // published build uses (exactOptionalPropertyTypes, noPropertyAccessFromIndexSignature).
  for (const project of ['tsconfig.json', 'tsconfig.build.json']) {
    console.log(`> tsc --noEmit -p ${project}`);
    const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) {
      console.log(`type-check of ${project} failed`);
      failed += 1;
    }
  }
}

const phases = [
  { name: 'unit', specs: ['test/**/*.test.ts', '--ignore', 'test/e2e/**'] },
  // Real rr processes: a slower clock per test, and the whole rr build on a first run.
  { name: 'e2e', specs: ['test/e2e/**/*.test.ts', '--timeout', '120000'] },
].filter((phase) => only === undefined || phase.name === only);

const dir = mkdtempSync(join(tmpdir(), 'rrr-tests-'));
for (const phase of phases) {
  const env = { ...process.env, RRR_TOTALS_FILE: join(dir, `${phase.name}.json`) };
  if (phase.name === 'e2e') {
    // rr is provided (built on a first run, minutes) before mocha starts, so no test's clock runs
    // during the build; without rr the phase fails here, loudly, instead of suite by suite.
    console.log('> scripts/rr.sh');
    const rr = spawnSync('bash', [join(root, 'scripts', 'rr.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (rr.status !== 0) {
      console.log('e2e: scripts/rr.sh could not provide rr (its error is above); the e2e suites did not run and count as one failure');
      failed += 1;
      continue;
    }
    env.RR_BINARY = rr.stdout.trim().split('\n').at(-1);
    // Centrifugo (the Centrifugo bridge's peer) the same way: a go install on a first run, minutes.
    console.log('> scripts/centrifugo.sh');
    const centrifugo = spawnSync('bash', [join(root, 'scripts', 'centrifugo.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (centrifugo.status !== 0) {
      console.log('e2e: scripts/centrifugo.sh could not provide Centrifugo (its error is above); the e2e suites did not run and count as one failure');
      failed += 1;
      continue;
    }
    env.CENTRIFUGO_BINARY = centrifugo.stdout.trim().split('\n').at(-1);
    // The Temporal dev server (the Temporal CLI, a Go build of several minutes on a first run), the same
    // way; without it only the Temporal suites fail.
    console.log('> scripts/temporal.sh');
    const temporal = spawnSync('bash', [join(root, 'scripts', 'temporal.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (temporal.status === 0) env.TEMPORAL_BINARY = temporal.stdout.trim().split('\n').at(-1);
    else console.log('e2e: scripts/temporal.sh could not provide the Temporal CLI (its error is above); the Temporal suites will fail');
  }
  console.log(`> mocha (${phase.name})`);
  const totalsFile = env.RRR_TOTALS_FILE;
  const mocha = spawnSync(bin('mocha'), [...phase.specs, ...extra], { cwd: root, stdio: 'inherit', env });
  let phaseFailed = 0;
  if (existsSync(totalsFile)) {
    const totals = JSON.parse(readFileSync(totalsFile, 'utf8'));
    passed += totals.passes;
    phaseFailed = totals.failures;
  } else {
    console.log(`mocha (${phase.name}) ended (exit ${mocha.status ?? mocha.signal}) before reporting any totals`);
    phaseFailed = 1;
  }
  if (mocha.status !== 0 && phaseFailed === 0) phaseFailed = 1;
  failed += phaseFailed;
}
rmSync(dir, { recursive: true, force: true });

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

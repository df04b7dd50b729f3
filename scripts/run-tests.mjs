#!/usr/bin/env node
// The project's one test command: type-check, then mocha, then the closing line
// `N passed, N failed` (alone on its line) that CI reads.
//   node scripts/run-tests.mjs          unit and integration suites (test/**, without test/e2e)
//   node scripts/run-tests.mjs --e2e    the suites that drive the real `rr serve` (test/e2e/**)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const e2e = process.argv.includes('--e2e');
const extra = process.argv.slice(2).filter((arg) => arg !== '--e2e');
const bin = (name) => join(root, 'node_modules', '.bin', name);

let failedChecks = 0;
if (!e2e) {
  console.log('> tsc --noEmit');
  const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.log('type-check failed');
    failedChecks += 1;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rrr-tests-'));
const totalsFile = join(dir, 'totals.json');
const specs = e2e
  ? ['test/e2e/**/*.test.ts', '--timeout', '120000']
  : ['test/**/*.test.ts', '--ignore', 'test/e2e/**'];
const mocha = spawnSync(bin('mocha'), [...specs, ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, RRR_TOTALS_FILE: totalsFile },
});

let passed = 0;
let failed = failedChecks;
if (existsSync(totalsFile)) {
  const totals = JSON.parse(readFileSync(totalsFile, 'utf8'));
  passed += totals.passes;
  failed += totals.failures;
} else {
  console.log(`mocha ended (exit ${mocha.status ?? mocha.signal}) before reporting any totals`);
  failed += 1;
}
if (mocha.status !== 0 && failed === 0) failed = 1;
rmSync(dir, { recursive: true, force: true });

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

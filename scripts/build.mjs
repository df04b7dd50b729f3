#!/usr/bin/env node
// `npm run build` (and `prepack`): compiles src/ to dist/ as ES modules with .d.ts and source maps
// (tsconfig.build.json, which also turns on the strict flags consumers may use), from a clean dist/
// so a file removed from src/ never lingers in the package; then marks the bins executable.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: tsc -p tsconfig.build.json failed (errors above)');
  process.exit(1);
}
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) chmodSync(join(root, file), 0o755);

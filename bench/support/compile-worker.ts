/**
 * How the benches run our worker: compiled by the repo's tsc into a temp dir and started by plain
 * `node`, as an installed package is. Through tsx, esbuild's `__name` helper would wrap every
 * closure the hot path makes (8% of an in-process hello profile), which users never pay.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../test/support/process-peer.js';

export interface CompiledWorker {
  /** `server.command` for our worker serving one of the compiled bench apps (`bench/support/NAME.ts`). */
  command(app: string): string[];
  remove(): void;
}

/** Compiles src/ and the given bench apps (repo-relative .ts paths under bench/support/). */
export function compileWorker(entries: string[]): CompiledWorker {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-bench-'));
  const config = {
    extends: join(ROOT, 'tsconfig.json'),
    compilerOptions: { noEmit: false, rootDir: ROOT, outDir: join(dir, 'out'), declaration: false, sourceMap: false, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] },
    include: [join(ROOT, 'src'), ...entries.map((entry) => join(ROOT, entry))],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  const out = join(dir, 'out');
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  return {
    command: (app) => [process.execPath, join(out, 'src', 'bin', 'worker.js'), join(out, 'bench', 'support', `${app}.js`)],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

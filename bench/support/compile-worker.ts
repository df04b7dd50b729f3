/**
 * How the benches run our worker: compiled by the repo's tsc into a temp dir and started by plain
 * `node`, as an installed package is. Through tsx, esbuild's `__name` helper would wrap every
 * closure the hot path makes (8% of an in-process hello profile), which users never pay.
 *
 * `root` compiles the same bench apps (this checkout's files) against another checkout's `src/`,
 * with that checkout's tsc, tsconfig and node_modules: a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../test/support/process-peer.js';

export interface CompiledWorker {
  /** `server.command` for our worker serving one of the compiled bench apps (`bench/support/NAME.ts`). */
  command(app: string): string[];
  remove(): void;
}

/**
 * Compiles src/ and the given bench apps (repo-relative .ts paths under bench/support/). With
 * `root` (another checkout of this repo, with its own node_modules), src/ is that checkout's.
 */
export function compileWorker(entries: string[], options: { root?: string } = {}): CompiledWorker {
  const root = options.root ?? ROOT;
  const dir = mkdtempSync(join(tmpdir(), 'rrr-bench-'));
  let sources = ROOT;
  if (root !== ROOT) {
    // One tree holding that checkout's src/ and our apps, so the apps' `../../src/` imports reach
    // its sources; its node_modules beside them for the packages src/ imports.
    sources = join(dir, 'tree');
    cpSync(join(root, 'src'), join(sources, 'src'), { recursive: true });
    cpSync(join(root, 'package.json'), join(sources, 'package.json')); // "type": "module" for tsc
    for (const entry of entries) cpSync(join(ROOT, entry), join(sources, entry));
    symlinkSync(join(root, 'node_modules'), join(sources, 'node_modules'));
  }
  const config = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { noEmit: false, rootDir: sources, outDir: join(dir, 'out'), declaration: false, sourceMap: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
    include: [join(sources, 'src'), ...entries.map((entry) => join(sources, entry))],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  if (tsc.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`tsc failed${root === ROOT ? '' : ` (against ${root})`}:\n${tsc.stdout}${tsc.stderr}`);
  }
  const out = join(dir, 'out');
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  return {
    command: (app) => [process.execPath, join(out, 'src', 'bin', 'worker.js'), join(out, 'bench', 'support', `${app}.js`)],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

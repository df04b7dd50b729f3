import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, relative } from 'node:path';

/**
 * What a compile check found: `ok`; `error` with why the file would not load
 * (`app.ts:3:14: Expected ";" but found "x"`); `unchecked` with why it could not be checked.
 */
export type CompileResult = { readonly status: 'ok' } | { readonly status: 'error' | 'unchecked'; readonly message: string };

/** Checks that one file compiles. */
export type CompileCheck = (file: string) => Promise<CompileResult>;

const OK: CompileResult = { status: 'ok' };
const failed = (message: string): CompileResult => ({ status: 'error', message });

interface Esbuild {
  transform(source: string, options: object): Promise<unknown>;
}

interface EsbuildFailure {
  errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }>;
}

const LOADERS: Readonly<Record<string, string>> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};

/**
 * The compile check `dev` runs on a changed file before it resets rr's workers: a file that would
 * not load must not replace workers that serve. TypeScript and JavaScript go through esbuild's
 * `transform` (what tsx runs when the worker imports the file; esbuild comes with tsx), taken from
 * the project, else from beside this package; without esbuild, JavaScript is checked by
 * `node --check` and TypeScript cannot be (the answer says so). JSON must parse.
 * Only syntax is checked, as tsx does: type errors are `tsc`'s business.
 *
 * @param projectDir where the project's esbuild (or tsx's) is looked up, and what paths in messages are relative to.
 */
export async function createCompileCheck(projectDir: string): Promise<CompileCheck> {
  const esbuild = await findEsbuild(projectDir);
  return async (file) => {
    const name = relative(projectDir, file) || file;
    const extension = extname(file);
    if (extension === '.json') {
      try {
        JSON.parse(await readFile(file, 'utf8'));
        return OK;
      } catch (error) {
        return failed(`${name}: ${(error as Error).message}`);
      }
    }
    const loader = LOADERS[extension];
    if (loader === undefined) return OK;
    if (esbuild === undefined) {
      if (loader === 'js') return nodeCheck(file, name);
      return { status: 'unchecked', message: `${name} cannot be checked: esbuild is not installed in the project (npm install --save-dev tsx brings it)` };
    }
    try {
      await esbuild.transform(await readFile(file, 'utf8'), {
        loader,
        sourcefile: name,
        // Legacy decorators accept both decorator syntaxes (parameter decorators only exist there):
        // the check is about syntax, whichever the project compiles with.
        tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
      });
      return OK;
    } catch (error) {
      const first = (error as EsbuildFailure).errors?.[0];
      if (first === undefined) return failed(`${name}: ${(error as Error).message}`);
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : name;
      return failed(`${where}: ${first.text}`);
    }
  };
}

async function findEsbuild(projectDir: string): Promise<Esbuild | undefined> {
  const bases = [join(projectDir, 'package.json'), import.meta.url];
  for (const base of bases) {
    const require = createRequire(base);
    for (const resolveEsbuild of [() => require.resolve('esbuild'), () => createRequire(require.resolve('tsx/package.json')).resolve('esbuild')]) {
      try {
        return (await import(resolveEsbuild())) as Esbuild;
      } catch {
        // not installed there: try the next place
      }
    }
  }
  return undefined;
}

function nodeCheck(file: string, name: string): Promise<CompileResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ status: 'unchecked', message: `${name} cannot be checked: node --check did not run (${error.message})` }));
    child.on('exit', (code) => resolve(code === 0 ? OK : failed(`${name}: ${stderr.trim().split('\n').find((line) => /Error/.test(line)) ?? stderr.trim()}`)));
  });
}

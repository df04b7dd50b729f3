/**
 * Every TypeScript snippet of docs/*.md type-checks against the package's sources, as a module a
 * user would paste it into, so the docs cannot drift from the API. A snippet that continues an
 * earlier one, or uses names the page introduces in prose, states them in an HTML comment right
 * above its block, which readers do not see but the check prepends:
 *
 *   <!-- snippet-context
 *   import { createContainer } from 'roadrunner-runtime';
 *   declare const container: ReturnType<typeof createContainer>;
 *   -->
 *   ```ts
 *   container.boot();
 *   ```
 *
 * A snippet whose first line names its file (`// temporal/greeting-activity.ts: ...`) is written
 * under that name, so the page's snippets can import each other; a file the page only mentions is
 * given in a `<!-- snippet-file PATH ... -->` comment (unseen by readers, checked like a snippet).
 *
 * The runnable apps behind the pages (example/, the README's Install app, test/fixtures/apps) are
 * run by their own suites; this check covers what only the docs hold.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'chai';
import { ROOT } from './support/process-peer.js';

interface Snippet {
  /** e.g. `docs/jobs.md#2`. */
  readonly name: string;
  /** Where it is written, relative to the page's folder of snippets. */
  readonly path: string;
  /** The markdown line the block starts on, for the failure message. */
  readonly line: number;
  readonly context: string;
  readonly code: string;
}

const DOCS = join(ROOT, 'docs');
const BLOCK = /(?:<!--\s*snippet-context\n([\s\S]*?)-->\n)?```ts\n([\s\S]*?)```/g;
const HIDDEN_FILE = /<!--\s*snippet-file ([\w./-]+\.ts)\n([\s\S]*?)-->/g;
const NAMED = /^\/\/ ([\w./-]+\.ts)\b/;

function snippetsOf(file: string): Snippet[] {
  const markdown = readFileSync(file, 'utf8');
  const page = relative(ROOT, file);
  const lineOf = (offset: number) => markdown.slice(0, offset).split('\n').length;
  const shown = [...markdown.matchAll(BLOCK)].map((match, index) => ({
    name: `${page}#${index + 1}`,
    path: NAMED.exec(match[2]!)?.[1] ?? `snippet-${index + 1}.ts`,
    line: lineOf(match.index + match[0].indexOf('```ts')),
    context: match[1] ?? '',
    code: match[2]!,
  }));
  const hidden = [...markdown.matchAll(HIDDEN_FILE)].map((match) => ({
    name: `${page}#${match[1]}`,
    path: match[1]!,
    line: lineOf(match.index),
    context: '',
    code: match[2]!,
  }));
  return [...shown, ...hidden];
}

describe('docs: every TypeScript snippet type-checks', function () {
  this.timeout(180_000);
  const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort();
  const snippets = pages.flatMap((page) => snippetsOf(join(DOCS, page)));
  const work = join(ROOT, 'test', `.doc-snippets-${process.pid}`);
  const errors = new Map<string, string[]>();
  const byFile = new Map<string, Snippet>();

  before(() => {
    mkdirSync(work, { recursive: true });
    const files = snippets.map((snippet) => {
      const file = join(work, snippet.name.slice('docs/'.length, snippet.name.indexOf('#')).replace(/\.md$/, ''), snippet.path);
      mkdirSync(dirname(file), { recursive: true });
      // `export {}` keeps each snippet its own module, as the file a user pastes it into.
      writeFileSync(file, `${snippet.context}\n${snippet.code}\nexport {};\n`);
      byFile.set(file, snippet);
      return file;
    });
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['node'] }, include: [], files }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(work, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    for (const line of tsc.stdout.split('\n')) {
      const match = /^(.+\.ts)\((\d+),\d+\): (error .*)$/.exec(line);
      const snippet = match && byFile.get(join(ROOT, match[1]!));
      if (!match || !snippet) continue;
      const codeLine = Number(match[2]) - snippet.context.split('\n').length;
      const where = codeLine >= 1 ? `line ${snippet.line + codeLine} of the page` : 'its snippet-context';
      errors.set(snippet.name, [...(errors.get(snippet.name) ?? []), `${where}: ${match[3]}`]);
    }
    if (tsc.status !== 0 && errors.size === 0) throw new Error(`tsc failed without naming a snippet:\n${tsc.stdout}${tsc.stderr}`);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('finds the snippets (the check cannot pass on an empty set)', () => {
    expect(snippets.length).to.be.greaterThan(10);
  });

  for (const page of pages) {
    it(`docs/${page}`, () => {
      const failures = [...errors].filter(([name]) => name.startsWith(`docs/${page}#`));
      expect(failures.map(([name, lines]) => `${name}\n  ${lines.join('\n  ')}`).join('\n')).to.equal('');
    });
  }
});

/**
 * docs/testing.md's snippets, run as a user would run them: the app and the mocha and node:test
 * files are written into a scratch project and run by mocha and by `node --test` in child
 * processes. They pass as written, and fail with IsolationError once the app's service is no
 * longer declared Resettable. (The vitest file is the same calls under vitest's names; vitest is
 * not a dependency of this repository.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../support/process-peer.js';

/** The code block of docs/testing.md whose first line is `// <file>`, without that line. */
function docBlock(file: string): string {
  const doc = readFileSync(join(ROOT, 'docs', 'testing.md'), 'utf8');
  for (const match of doc.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const [first, ...rest] = match[1]!.split('\n');
    if (first!.replace(/^\/\/\s*/, '').trim() === file) return rest.join('\n');
  }
  throw new Error(`docs/testing.md has no ts block starting with "// ${file}"`);
}

describe('docs/testing.md', function () {
  this.timeout(120_000);
  const dir = join(ROOT, 'test', 'testing', `.docs-run-${process.pid}`);
  before(() => {
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, 'test'), { recursive: true });
    // The repository's compiler options and its `roadrunner-runtime/*` paths (the sources).
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: ['src', 'test'] }));
    writeFileSync(join(dir, 'test', 'app.test.ts'), docBlock('test/app.test.ts'));
    writeFileSync(join(dir, 'test', 'app.node-test.ts'), docBlock('test/app.node-test.ts'));
    expect(docBlock('test/app.spec.ts')).to.contain("from 'roadrunner-runtime/testing'");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const runMocha = () =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '60000', 'test/app.test.ts'], { cwd: dir, encoding: 'utf8' });
  const runNodeTest = () => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/app.node-test.ts'], { cwd: dir, encoding: 'utf8' });
  const output = (run: ReturnType<typeof spawnSync>) => `${String(run.stdout)}\n${String(run.stderr)}`;

  it('the mocha and node:test files pass against the app as written', () => {
    writeFileSync(join(dir, 'src', 'app.ts'), docBlock('src/app.ts'));
    const mocha = runMocha();
    expect(mocha.status, output(mocha)).to.equal(0);
    expect(output(mocha)).to.match(/2 passing/);
    const nodeTest = runNodeTest();
    expect(nodeTest.status, output(nodeTest)).to.equal(0);
    expect(output(nodeTest)).to.match(/^# pass 2$/m);
  });

  it('both fail the isolation test, and only it, once the service is not declared Resettable (the greeting before it already leaked)', () => {
    const app = docBlock('src/app.ts');
    expect(app).to.contain('@Service({ resettable: true })');
    writeFileSync(join(dir, 'src', 'app.ts'), app.replace('@Service({ resettable: true })', '@Service()'));
    const mocha = runMocha();
    expect(mocha.status, output(mocha)).to.not.equal(0);
    // The greeting test ran first and left "ada" behind, so the check's first unit already sees it.
    expect(output(mocha)).to.match(/1 passing/).and.match(/1 failing/).and.match(/IsolationProbeError: assertIsolated: the first unit's outcome does not show its identity "first-\w+": either state leaked into it from an earlier unit of work/);
    const nodeTest = runNodeTest();
    expect(nodeTest.status, output(nodeTest)).to.not.equal(0);
    expect(output(nodeTest)).to.match(/^# fail 1$/m).and.match(/state leaked into it from an earlier unit of work/);
  });
});

import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchSources, type SourceWatcher } from '../../../src/bin/commands/watch-sources.js';

describe('bin/commands watchSources', () => {
  let dir: string;
  let watcher: SourceWatcher | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-watch-'));
    for (const sub of ['src/deep', 'node_modules/pkg', 'dist']) mkdirSync(join(dir, sub), { recursive: true });
  });
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves with the files reported once `last` shows up among them. */
  function collectUntil(last: string): Promise<string[]> {
    return new Promise((resolve) => {
      const seen: string[] = [];
      watcher = watchSources(dir, (file) => {
        seen.push(file);
        if (file === join(dir, last)) resolve([...new Set(seen)]);
      });
    });
  }

  it('reports source files at any depth and in new directories, never node_modules, dist or non-sources', async () => {
    const done = collectUntil('last.ts');
    writeFileSync(join(dir, 'node_modules/pkg/index.js'), 'x');
    writeFileSync(join(dir, 'dist/app.js'), 'x');
    writeFileSync(join(dir, 'src/deep/notes.txt'), 'x');
    writeFileSync(join(dir, 'src/deep/service.ts'), 'x');
    writeFileSync(join(dir, 'roadrunner.yaml'), 'x');
    // A new directory, a file in it at once: reported whether its own watch started in time or not.
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib/helper.mts'), 'x');
    writeFileSync(join(dir, 'last.ts'), 'x');
    const seen = await done;
    expect(seen.map((file) => file.slice(dir.length + 1)).sort()).to.deep.equal(['last.ts', 'lib/helper.mts', 'roadrunner.yaml', 'src/deep/service.ts']);
  });
});

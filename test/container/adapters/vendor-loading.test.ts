import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const app = resolve('test/fixtures/container/vendor-loading-app.ts');

/** Runs the fixture app in a fresh process (this one has reflect-metadata and tsyringe loaded). */
function run(...args: string[]): { resolved: boolean; tsyringe: boolean } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', app, ...args], { encoding: 'utf8' });
  expect(child.status, child.stderr).to.equal(0);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!);
}

describe('vendor loading', () => {
  it('an app on inversify (the default) never loads tsyringe, and needs no reflect-metadata import', () => {
    expect(run()).to.deep.equal({ resolved: true, tsyringe: false });
  });

  it('loads tsyringe only when the app chooses it', () => {
    expect(run('tsyringe')).to.deep.equal({ resolved: true, tsyringe: true });
  });
});

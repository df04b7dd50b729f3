import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { lazyModule } from '../../src/runtime/lazy-module.js';

describe('runtime lazyModule', () => {
  it('loads the package on the first call and gives the same module after', () => {
    const etag = lazyModule<typeof import('etag')>('etag');
    expect(etag()).to.be.a('function');
    expect(etag()).to.equal(etag());
    expect(etag()('hello')).to.match(/^"/);
  });

  it('keeps what a worker only needs for a config, a file response or a trusted proxy out of the root entry point', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', resolve('test/fixtures/runtime/entry-loading-app.ts')], { encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(0);
    const { entry, packages } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { entry: boolean; packages: string[] };
    expect(entry, 'the resolve hook saw the entry point').to.equal(true);
    expect(packages, 'the hook saw the packages the entry needs').to.include.members(['inversify', 'find-my-way']);
    const lazy = ['zod', 'yaml', 'mime-types', 'mime-db', 'etag', 'fresh', 'content-disposition', 'forwarded-parse', '@fastify/proxy-addr', 'ipaddr.js', 'tsyringe'];
    expect(packages.filter((name) => lazy.includes(name))).to.deep.equal([]);
  });
});

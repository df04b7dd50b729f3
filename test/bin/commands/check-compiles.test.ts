import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompileCheck, type CompileCheck } from '../../../src/bin/commands/check-compiles.js';

describe('bin/commands createCompileCheck', () => {
  let dir: string;
  let check: CompileCheck;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-compile-'));
    check = await createCompileCheck(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, source: string) => {
    writeFileSync(join(dir, name), source);
    return join(dir, name);
  };

  it('accepts TypeScript with parameter decorators, and JavaScript, as tsx would load them', async () => {
    const decorated = file(
      'service.ts',
      "declare const Inject: any; declare const Service: any;\n@Service()\nexport class Mailer {\n  constructor(@Inject('smtp') private readonly smtp: string) {}\n}\n",
    );
    expect(await check(decorated)).to.deep.equal({ status: 'ok' });
    expect(await check(file('plain.mjs', 'export const a = 1;\n'))).to.deep.equal({ status: 'ok' });
    expect(await check(file('data.json', '{"a": 1}'))).to.deep.equal({ status: 'ok' });
    expect(await check(file('notes.yaml', 'not: [checked'))).to.deep.equal({ status: 'ok' });
  });

  it('names the file, line and column of a syntax error', async () => {
    expect(await check(file('broken.ts', "export const a = 1;\nexport const b: string = 'x' +;\n"))).to.deep.equal({
      status: 'error',
      message: 'broken.ts:2:31: Unexpected ";"',
    });
    expect(await check(file('broken.cjs', 'module.exports = {'))).to.deep.include({ status: 'error' });
    const json = await check(file('broken.json', '{"a": }'));
    expect(json.status).to.equal('error');
    expect((json as { message: string }).message).to.match(/^broken\.json: /);
  });
});

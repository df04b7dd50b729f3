import { expect } from 'chai';
import { describeAppError } from '../../../src/bin/commands/describe-app-error.js';

describe('bin/commands describeAppError', () => {
  const ours = '/opt/app/node_modules/roadrunner-runtime/dist/';
  const withStack = (error: Error, frames: string[]) => {
    error.stack = `${error.name}: ${error.message}\n${frames.map((frame) => `    at ${frame}`).join('\n')}`;
    return error;
  };

  it('keeps the message, the causes it does not repeat, and the app\'s own frames only', () => {
    const cause = withStack(new TypeError('Invalid URL'), ['new URL (node:internal/url:816:29)', 'connect (file:///opt/app/src/db.ts:3:9)']);
    const error = withStack(new Error('DATABASE_URL is not set', { cause }), [
      'connect (file:///opt/app/src/db.ts:4:11)',
      'file:///opt/app/src/app.ts:12:1',
      `importWorkerApp (${ours}runtime/app/import-worker-app.js:20:5)`,
      'ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
      'load (/opt/app/node_modules/tsx/dist/esm/index.mjs:2:100)',
    ]);
    expect(describeAppError(error, [ours])).to.equal(
      [
        'DATABASE_URL is not set',
        '    at connect (file:///opt/app/src/db.ts:4:11)',
        '    at file:///opt/app/src/app.ts:12:1',
        'caused by: TypeError: Invalid URL',
        '    at connect (file:///opt/app/src/db.ts:3:9)',
      ].join('\n'),
    );
  });

  it('does not repeat a cause the message already contains', () => {
    const cause = new SyntaxError('Unexpected token');
    const error = new Error(`loading the app module app.js failed: ${cause.message}`, { cause });
    error.stack = undefined;
    cause.stack = undefined;
    expect(describeAppError(error, [ours])).to.equal('loading the app module app.js failed: Unexpected token');
  });
});

import { expect } from 'chai';
import { parseRuntimeConfig } from '../../../src/runtime/config/parse-runtime-config.js';
import { ConfigError } from '../../../src/runtime/errors.js';

function configError(input: unknown): ConfigError {
  try {
    parseRuntimeConfig(input, 'roadrunner.yaml', { env: {} });
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail('expected a ConfigError');
}

describe('runtime config: jobs keys', () => {
  it('defaults to four attempts, 1 s doubling up to an hour, no dead-letter pipeline', () => {
    expect(parseRuntimeConfig({}, 'code', { env: {} }).jobs).to.deep.equal({
      retry: { max_attempts: 4, delay: 1, multiplier: 2, max_delay: 3600 },
      dead_letter_pipeline: null,
    });
  });

  it('takes numbers as written and as ${VAR} expands them (strings of digits)', () => {
    const { jobs } = parseRuntimeConfig({ jobs: { retry: { max_attempts: '10', delay: '0.5', max_delay: 60 }, dead_letter_pipeline: 'failed' } }, 'code', { env: {} });
    expect(jobs).to.deep.equal({ retry: { max_attempts: 10, delay: 0.5, multiplier: 2, max_delay: 60 }, dead_letter_pipeline: 'failed' });
  });

  it('names the file, the key and what was expected for a bad value or an unknown key', () => {
    expect(configError({ jobs: { retry: { max_attempts: 0 } } }).message).to.contain('jobs.retry.max_attempts: expected a whole number of attempts >= 1');
    expect(configError({ jobs: { retry: { max_attempts: 2.5 } } }).message).to.contain('jobs.retry.max_attempts');
    expect(configError({ jobs: { retry: { delay: 'soon' } } }).message).to.contain('jobs.retry.delay: expected a number of seconds >= 0');
    expect(configError({ jobs: { retry: { multiplier: 0.5 } } }).message).to.contain('jobs.retry.multiplier: expected a number >= 1');
    expect(configError({ jobs: { dead_letter_pipeline: '' } }).message).to.contain('jobs.dead_letter_pipeline');
    expect(configError({ jobs: { retries: {} } }).message).to.contain('jobs.retries: unknown key (known keys: retry, dead_letter_pipeline)');
    expect(configError({ jobs: { retry: { max_attempt: 3 } } }).message).to.contain('did you mean "max_attempts"?');
  });
});

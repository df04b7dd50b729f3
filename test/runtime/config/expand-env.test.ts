import { expect } from 'chai';
import { expandEnv, expandEnvDeep } from '../../../src/runtime/config/expand-env.js';

describe('runtime/config expandEnv', () => {
  const env = { HOST: 'example.org', PORT: '9000', EMPTY: '', A_1: 'a1' };

  it('expands ${VAR} and $VAR inside text', () => {
    expect(expandEnv('tcp://${HOST}:$PORT/x', env)).to.equal('tcp://example.org:9000/x');
    expect(expandEnv('$A_1.b', env)).to.equal('a1.b');
  });

  it('expands an unset variable without default to an empty string, like rr', () => {
    expect(expandEnv('[${MISSING}]', env)).to.equal('[]');
    expect(expandEnv('[$MISSING]', env)).to.equal('[]');
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    expect(expandEnv('${MISSING:-8080}', env)).to.equal('8080');
    expect(expandEnv('${EMPTY:-fallback}', env)).to.equal('fallback');
    expect(expandEnv('${PORT:-8080}', env)).to.equal('9000');
    expect(expandEnv('${SCHEME:-tcp}://127.0.0.1:${RPC_PORT:-36643}', env)).to.equal('tcp://127.0.0.1:36643');
  });

  it('takes the default literally, up to the first closing brace', () => {
    expect(expandEnv('${MISSING:-a:-b}', env)).to.equal('a:-b');
    expect(expandEnv('${MISSING:-$HOST}', env)).to.equal('$HOST');
  });

  it('does not collapse a value mixing plain and default references (rr bug not copied)', () => {
    expect(expandEnv('x${HOST}y ${MISSING:-d}', env)).to.equal('xexample.orgy d');
  });

  it('keeps a $ that starts no reference, and follows rr for special and malformed forms', () => {
    expect(expandEnv('cost 5$', env)).to.equal('cost 5$');
    expect(expandEnv('$ x and $/', env)).to.equal('$ x and $/');
    expect(expandEnv('pa$$word', env)).to.equal('paword');
    expect(expandEnv('v$1', env)).to.equal('v');
    expect(expandEnv('a${}b', env)).to.equal('ab');
    expect(expandEnv('${HOST', env)).to.equal('HOST');
  });

  it('returns strings without $ unchanged', () => {
    expect(expandEnv('plain value', env)).to.equal('plain value');
  });

  it('reads process.env by default', () => {
    const name = `RRR_EXPAND_TEST_${process.pid}`;
    process.env[name] = 'from-process';
    try {
      expect(expandEnv(`\${${name}}`)).to.equal('from-process');
    } finally {
      delete process.env[name];
    }
  });

  it('expands strings in nested mappings and lists, leaving keys and other scalars alone', () => {
    const input = {
      '${HOST}': 'key stays',
      nested: { address: '${HOST}:${PORT}', list: ['$HOST', 7, true, null, { deep: '${MISSING:-d}' }] },
      port: 8080,
      enabled: false,
      nothing: null,
    };
    const output = expandEnvDeep(input, env);
    expect(output).to.deep.equal({
      '${HOST}': 'key stays',
      nested: { address: 'example.org:9000', list: ['example.org', 7, true, null, { deep: 'd' }] },
      port: 8080,
      enabled: false,
      nothing: null,
    });
    expect(input.nested.address, 'the input is not mutated').to.equal('${HOST}:${PORT}');
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "$HOST"}}') as Record<string, unknown>;
    const output = expandEnvDeep(input, env) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(output, '__proto__')?.value).to.deep.equal({ polluted: 'example.org' });
  });
});

import { expect } from 'chai';
import { KvConfigError } from '../../../../src/bridges/kv/errors.js';
import { jsonSerializer } from '../../../../src/bridges/kv/serializer/json-serializer.js';
import { resolveSerializer } from '../../../../src/bridges/kv/serializer/resolve-serializer.js';
import type { Serializer } from '../../../../src/bridges/kv/serializer/serializer.js';
import { v8Serializer } from '../../../../src/bridges/kv/serializer/v8-serializer.js';

const sample = { when: new Date('2026-11-23T10:00:00Z'), tags: new Map([['a', 1]]), ids: new Set([1, 2]), n: 42 };

describe('KV serializers', () => {
  it('json keeps what JSON keeps: a Date becomes its ISO string, a Map becomes {}', () => {
    const back = jsonSerializer.deserialize(jsonSerializer.serialize(sample)) as Record<string, unknown>;
    expect(back).to.deep.equal({ when: '2026-11-23T10:00:00.000Z', tags: {}, ids: {}, n: 42 });
    expect(() => jsonSerializer.serialize(undefined)).to.throw(TypeError, /cannot store undefined/);
  });

  it('v8 round-trips Date, Map and Set', () => {
    expect(v8Serializer.deserialize(v8Serializer.serialize(sample))).to.deep.equal(sample);
  });

  it('uses msgpack (the real msgpackr) only when asked for by name, keeping Date, Map and Set', () => {
    const serializer = resolveSerializer('msgpack');
    expect(serializer.name).to.equal('msgpack');
    const bytes = serializer.serialize(sample);
    expect(Buffer.from(bytes).toString('latin1'), 'binary msgpack, not JSON text').not.to.match(/^\{/);
    expect(serializer.deserialize(bytes)).to.deep.equal(sample);
  });

  it('means JSON when kv.serializer is null or absent, although msgpackr is installed (a devDependency here)', () => {
    let asked = 0;
    const msgpackrInstalled = { loadMsgpackr: () => (asked++, { Packr: class { pack() { return new Uint8Array([1]); } unpack() { return 1; } } }) };
    expect(resolveSerializer(null, {}, msgpackrInstalled)).to.equal(jsonSerializer);
    expect(resolveSerializer(undefined, {}, msgpackrInstalled)).to.equal(jsonSerializer);
    expect(resolveSerializer(null)).to.equal(jsonSerializer); // the real require('msgpackr') would succeed
    expect(asked, 'msgpackr is not even looked for').to.equal(0);
  });

  it('says msgpack needs msgpackr when it is not installed', () => {
    const withoutMsgpackr = { loadMsgpackr: () => undefined };
    expect(() => resolveSerializer('msgpack', {}, withoutMsgpackr)).to.throw(KvConfigError, '"msgpack" needs the msgpackr package');
  });

  it('resolves names and checks user serializers at boot', () => {
    expect(resolveSerializer('json')).to.equal(jsonSerializer);
    expect(resolveSerializer('v8')).to.equal(v8Serializer);
    const custom: Serializer = { name: 'upper', serialize: (v) => Buffer.from(String(v).toUpperCase()), deserialize: (b) => Buffer.from(b).toString() };
    expect(resolveSerializer(custom)).to.equal(custom);
    class Base64 implements Serializer {
      readonly name = 'base64';
      serialize(value: unknown) {
        return Buffer.from(Buffer.from(JSON.stringify(value)).toString('base64'));
      }
      deserialize(bytes: Uint8Array) {
        return JSON.parse(Buffer.from(Buffer.from(bytes).toString(), 'base64').toString());
      }
    }
    const fromClass = resolveSerializer(Base64);
    expect(fromClass.deserialize(fromClass.serialize({ a: 1 }))).to.deep.equal({ a: 1 });
  });

  it('names what is wrong with a bad choice', () => {
    expect(() => resolveSerializer('igbinary' as never)).to.throw(KvConfigError, 'unknown serializer "igbinary"');
    class Half {
      serialize() {
        return new Uint8Array();
      }
    }
    expect(() => resolveSerializer(Half as never)).to.throw(KvConfigError, 'Half does not implement Serializer: missing name, deserialize');
    expect(() => resolveSerializer({ name: 'x' } as never)).to.throw(KvConfigError, 'missing serialize, deserialize');
  });
});

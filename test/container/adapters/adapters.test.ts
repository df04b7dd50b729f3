import { expect } from 'chai';
import { inversifyAdapter, tsyringeAdapter, type ContainerAdapter } from '../../../src/container/index.js';

const adapters: [string, () => ContainerAdapter][] = [
  ['inversify', inversifyAdapter],
  ['tsyringe', tsyringeAdapter],
];

/** What the root container relies on from a vendor, checked directly against each one. */
for (const [name, make] of adapters) {
  describe(`${name} adapter`, () => {
    it('caches singletons, rebuilds transients, and passes resolved dependencies in order', () => {
      const adapter = make();
      let built = 0;
      adapter.bind({ key: 'a', lifetime: 'singleton', deps: [], create: () => ({ n: ++built }) });
      adapter.bind({ key: 'b', lifetime: 'transient', deps: [{ key: 'a', optional: false }], create: (a) => ({ a }) });
      adapter.bind({
        key: 'c',
        lifetime: 'singleton',
        deps: [
          { key: 'b', optional: false },
          { key: 'missing', optional: true },
          { key: 'a', optional: false },
        ],
        create: (...deps) => deps,
      });
      expect(adapter.get('a')).to.equal(adapter.get('a'));
      expect(adapter.get('b')).to.not.equal(adapter.get('b'));
      const [b, missing, a] = adapter.get('c') as [{ a: unknown }, unknown, unknown];
      expect(b.a).to.equal(a);
      expect(missing).to.equal(undefined);
      expect(built).to.equal(1);
      expect(adapter.name).to.equal(name);
    });

    it('replaces a binding and its cached instance on rebind, without touching the old instance', () => {
      const adapter = make();
      const old = { disposed: false, dispose() { this.disposed = true; } };
      adapter.bind({ key: 'svc', lifetime: 'singleton', deps: [], create: () => old });
      expect(adapter.get('svc')).to.equal(old);
      const replacement = {};
      adapter.bind({ key: 'svc', lifetime: 'singleton', deps: [], create: () => replacement });
      expect(adapter.get('svc')).to.equal(replacement);
      expect(old.disposed).to.equal(false);
    });

    it('takes classes and symbols as keys', async () => {
      const adapter = make();
      class Key {}
      const sym = Symbol('sym');
      adapter.bind({ key: Key, lifetime: 'singleton', deps: [], create: () => 'by class' });
      adapter.bind({ key: sym, lifetime: 'singleton', deps: [{ key: Key, optional: false }], create: (k) => `${String(k)} via symbol` });
      expect(adapter.get(sym)).to.equal('by class via symbol');
      await adapter.dispose();
      expect(() => adapter.get(sym)).to.throw();
    });
  });
}

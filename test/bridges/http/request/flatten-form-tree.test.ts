import { expect } from 'chai';
import { flattenFormTree } from '../../../../src/bridges/http/request/flatten-form-tree.js';
import type { FormTree } from '../../../../src/bridges/http/request/request-context.js';

/**
 * rr's own parsing (`handler/parse.go`: fetchIndexes + mount, without its empty-value conflict
 * rules), so a round trip proves the flattening is its inverse.
 */
function rrParse(pairs: Array<[string, string]>): Record<string, unknown> {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const tree: Record<string, unknown> = {};
  for (const [key, values] of grouped) {
    const keys: string[] = [];
    let buffer = '';
    let state: 'normal' | 'open' | 'close' = 'normal';
    for (const char of key) {
      if (char === ' ') continue;
      if (char === '[') {
        if (state === 'normal') {
          keys.push(buffer);
          buffer = '';
        }
        state = 'open';
      } else if (char === ']') {
        keys.push(buffer);
        buffer = '';
        state = 'close';
      } else {
        buffer += char;
        state = 'normal';
      }
    }
    if (buffer.length > 0 || keys.length === 0) keys.push(buffer);
    let node = tree;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (keys.length - i === 2 && keys[i + 1] === '') {
        node[k] = values;
        break;
      }
      if (i === keys.length - 1) {
        node[k] = values.at(-1);
        break;
      }
      node = (node[k] ??= {}) as Record<string, unknown>;
    }
  }
  return tree;
}

describe('flattenFormTree', () => {
  it('turns plain keys into name=value pairs', () => {
    expect(flattenFormTree({ a: '1', b: '' })).to.deep.equal([
      ['a', '1'],
      ['b', ''],
    ]);
  });

  it('turns string arrays into repeated name[] keys, in order', () => {
    expect(flattenFormTree({ tags: ['x', 'y', 'x'] })).to.deep.equal([
      ['tags[]', 'x'],
      ['tags[]', 'y'],
      ['tags[]', 'x'],
    ]);
  });

  it('nests objects as bracket keys: a[b][]=1', () => {
    const tree: FormTree = { a: { b: ['1', '2'], c: { d: 'deep' } }, user: { '0': 'zero' } };
    expect(flattenFormTree(tree)).to.deep.equal([
      ['a[b][]', '1'],
      ['a[b][]', '2'],
      ['a[c][d]', 'deep'],
      ['user[0]', 'zero'],
    ]);
  });

  it('gives an empty key back as [] (rr turns a[][b] into {a: {"": {b}}})', () => {
    expect(flattenFormTree({ a: { '': { b: 'x' } } })).to.deep.equal([['a[][b]', 'x']]);
  });

  it('indexes arrays that hold groups, since name[][k] would make one element per key', () => {
    expect(flattenFormTree({ rows: [{ id: '1', name: 'a' }, { id: '2', name: 'b' }] as unknown as FormTree[] })).to.deep.equal([
      ['rows[0][id]', '1'],
      ['rows[0][name]', 'a'],
      ['rows[1][id]', '2'],
      ['rows[1][name]', 'b'],
    ]);
  });

  it('writes numbers, booleans and null (never sent by rr) as strings', () => {
    expect(flattenFormTree({ n: 1, t: true, z: null } as unknown as FormTree)).to.deep.equal([
      ['n', '1'],
      ['t', 'true'],
      ['z', ''],
    ]);
  });

  it('keeps a field named __proto__ as a field', () => {
    const tree = JSON.parse('{"__proto__":{"polluted":"yes"}}') as FormTree;
    expect(flattenFormTree(tree)).to.deep.equal([['__proto__[polluted]', 'yes']]);
  });

  it('is the inverse of rr parsing, for every tree shape rr produces', () => {
    const trees: FormTree[] = [
      { a: '1' },
      { list: ['1', '2', ''], name: 'x y' },
      { a: { b: { c: ['1'], d: 'e' } }, f: { '': { g: 'h' } } },
      { order: { items: { '0': { sku: 'A-1', qty: '2' }, '1': { sku: 'B', qty: '1' } }, note: 'ünïcödé & = ?' } },
    ];
    for (const tree of trees) expect(rrParse(flattenFormTree(tree)), JSON.stringify(tree)).to.deep.equal(tree);
  });
});

/** rrFormTree against the cases of rr's own parse tests (roadrunner-server/http handler/parse.go). */
import { expect } from 'chai';
import { rrFormTree } from '../../src/testing/rr-form-tree.js';
import { flattenFormTree } from '../../src/bridges/http/request/flatten-form-tree.js';
import { TestWorkerError } from '../../src/testing/index.js';

const tree = (pairs: Array<[string, string[]]>) => rrFormTree(pairs, 'last');

describe('testing: rrFormTree', () => {
  it('keeps the last value of a plain key and every value of key[]', () => {
    expect(tree([['a', ['1', '2']], ['b[]', ['1', '2']]])).to.deep.equal({ a: '2', b: ['1', '2'] });
  });

  it('nests bracket keys and ignores spaces in names', () => {
    expect(tree([['user[name]', ['ada']], ['user[ roles ][]', ['admin', 'dev']], ['first name', ['x']]])).to.deep.equal({
      user: { name: 'ada', roles: ['admin', 'dev'] },
      firstname: 'x',
    });
  });

  it("skips an empty leaf next to a branch, as rr's mount does, and refuses a value where a branch is", () => {
    expect(tree([['options[0][id]', ['97']], ['options', ['']]])).to.deep.equal({ options: { '0': { id: '97' } } });
    expect(() => tree([['a', ['1']], ['a[b]', ['2']]])).to.throw(TestWorkerError, "invalid multiple values to key 'a'");
  });

  it('takes the first file of a plain upload key', () => {
    expect(rrFormTree([['doc', [{ tmpName: '/a' }, { tmpName: '/b' }]]], 'first')).to.deep.equal({ doc: { tmpName: '/a' } });
  });

  it('is undone by the worker side (flattenFormTree) for ordinary forms', () => {
    const pairs: Array<[string, string[]]> = [['a[b][]', ['1', '2']], ['c', ['x']], ['d[e]', ['y']]];
    const flattened = flattenFormTree(tree(pairs) as never);
    expect(flattened).to.deep.equal([['a[b][]', '1'], ['a[b][]', '2'], ['c', 'x'], ['d[e]', 'y']]);
  });
});

import { expect } from 'chai';
import { suggestKey } from '../../../src/runtime/config/suggest-key.js';

describe('runtime/config suggestKey', () => {
  const known = ['lazy_boot', 'early_router_initialization'];

  it('matches keys that differ only by case, underscores or dashes', () => {
    expect(suggestKey('lazyboot', known)).to.equal('lazy_boot');
    expect(suggestKey('lazyBoot', known)).to.equal('lazy_boot');
    expect(suggestKey('early-router-initialization', known)).to.equal('early_router_initialization');
    expect(suggestKey('task_queue', ['taskQueue', 'workflow'])).to.equal('taskQueue');
  });

  it('matches small typos and transpositions', () => {
    expect(suggestKey('lazy_bot', known)).to.equal('lazy_boot');
    expect(suggestKey('lazy_bote', known)).to.equal('lazy_boot');
    expect(suggestKey('serialiser', ['auto_register', 'serializer', 'keypair_path'])).to.equal('serializer');
  });

  it('suggests nothing for unrelated keys', () => {
    expect(suggestKey('cache', known)).to.equal(undefined);
    expect(suggestKey('x', ['kv', 'http'])).to.equal(undefined);
  });
});

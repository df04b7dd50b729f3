import { expect } from 'chai';
import { parseRange } from '../../../../src/bridges/http/response/byte-ranges.js';
import { contentTypeFor } from '../../../../src/bridges/http/response/content-type-for.js';

describe('parseRange', () => {
  const ranges = (...pairs: Array<[number, number]>) => ({ kind: 'ranges', ranges: pairs.map(([start, end]) => ({ start, end })) });

  it('reads single, suffix and open-ended ranges, clipped to the size', () => {
    expect(parseRange('bytes=0-0', 10)).to.deep.equal(ranges([0, 0]));
    expect(parseRange('bytes=2-', 10)).to.deep.equal(ranges([2, 9]));
    expect(parseRange('bytes=-3', 10)).to.deep.equal(ranges([7, 9]));
    expect(parseRange('bytes=-30', 10)).to.deep.equal(ranges([0, 9]));
    expect(parseRange('bytes=5-99999999999999999999', 10)).to.deep.equal(ranges([5, 9]));
    expect(parseRange(' BYTES = 1-2 ,, 4-5 ', 10)).to.deep.equal(ranges([1, 2], [4, 5]));
  });

  it('merges overlapping and adjacent ranges and sorts them', () => {
    expect(parseRange('bytes=6-8,0-1,2-3,7-9', 10)).to.deep.equal(ranges([0, 3], [6, 9]));
    expect(parseRange('bytes=0-4,0-4,0-4', 10)).to.deep.equal(ranges([0, 4]));
  });

  it('drops unsatisfiable ranges, and is unsatisfiable when none is left', () => {
    expect(parseRange('bytes=20-30,1-2', 10)).to.deep.equal(ranges([1, 2]));
    expect(parseRange('bytes=10-', 10)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 10)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=10-20,-0', 10)).to.deep.equal({ kind: 'unsatisfiable' });
  });

  it('ignores a header that is absent, malformed, of another unit, or for an empty representation', () => {
    for (const header of [null, undefined, '', 'bytes', 'bytes=', 'bytes=-', 'bytes=1-2-3', 'bytes=a-b', 'bytes=3-1', 'bytes=0-1,3-1', 'pages=1-2', 'bytes=1 -2', 'bytes=+1-2']) {
      expect(parseRange(header, 10), String(header)).to.deep.equal({ kind: 'ignore' });
    }
    expect(parseRange('bytes=0-', 0)).to.deep.equal({ kind: 'ignore' });
  });
});

describe('contentTypeFor', () => {
  it('maps known extensions case-insensitively and falls back to application/octet-stream', () => {
    expect(contentTypeFor('/x/index.HTML')).to.equal('text/html; charset=utf-8');
    expect(contentTypeFor('photo.jpeg')).to.equal('image/jpeg');
    expect(contentTypeFor('archive.tar.gz')).to.equal('application/gzip');
    expect(contentTypeFor('font.woff2')).to.equal('font/woff2');
    expect(contentTypeFor('noext')).to.equal('application/octet-stream');
    expect(contentTypeFor('weird.constructor')).to.equal('application/octet-stream');
    expect(contentTypeFor('.htaccess')).to.equal('application/octet-stream');
    expect(contentTypeFor('json')).to.equal('application/octet-stream');
  });

  it('knows what mime-db knows, well beyond the ~90 extensions of the map it replaced', () => {
    expect(contentTypeFor('live.m3u8')).to.equal('application/vnd.apple.mpegurl');
    expect(contentTypeFor('scene.glb')).to.equal('model/gltf-binary');
    expect(contentTypeFor('photo.jxl')).to.equal('image/jxl');
    expect(contentTypeFor('app.webmanifest')).to.equal('application/manifest+json; charset=utf-8');
  });

  it("gives mime-db's answer where the replaced map differed", () => {
    // Changed on purpose with mime-types: these are what Express and Koa send for them.
    expect(contentTypeFor('config.yaml')).to.equal('text/yaml; charset=utf-8');
    expect(contentTypeFor('feed.xml')).to.equal('application/xml');
    expect(contentTypeFor('song.flac')).to.equal('audio/x-flac');
    expect(contentTypeFor('backup.tgz')).to.equal('application/octet-stream');
  });
});

import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { readUploads } from '../../../../src/bridges/http/request/read-uploads.js';
import { UploadedFile } from '../../../../src/bridges/http/request/request-context.js';
import { UploadError, uploadErrorMessage } from '../../../../src/bridges/http/request/upload-error.js';
import { ProtocolError } from '../../../../src/runtime/errors.js';
import { UploadUnavailableError } from '../../../../src/bridges/http/errors.js';
import { json, UploadsDir } from './fixtures.js';

describe('readUploads', () => {
  let dir: UploadsDir;
  beforeEach(() => (dir = new UploadsDir()));
  afterEach(() => dir.remove());

  it('opens each upload as a File with the client name and type, and names its form field', async () => {
    const tree = {
      avatar: dir.upload('me.png', 'PNG-BYTES', 'image/png'),
      files: [dir.upload('a.txt', 'first', 'text/plain'), dir.upload('b.txt', 'second', 'text/plain')],
      doc: { scan: dir.upload('scan.pdf', '%PDF', 'application/pdf') },
    };
    const { tree: result, files } = await readUploads(json(tree), 'lazy');

    expect(files.map((file) => file.field)).to.deep.equal(['avatar', 'files[]', 'files[]', 'doc[scan]']);
    const avatar = result.avatar as UploadedFile;
    expect(avatar).to.be.instanceOf(UploadedFile);
    expect(avatar).to.deep.include({ name: 'me.png', type: 'image/png', size: 9, error: 0, errorMessage: undefined });
    expect(avatar.file).to.be.instanceOf(File);
    expect(avatar.file!.name).to.equal('me.png');
    expect(avatar.file!.type).to.equal('image/png');
    expect(await avatar.file!.text()).to.equal('PNG-BYTES');
    expect(await (result.files as UploadedFile[])[1]!.file!.text()).to.equal('second');
    expect(await ((result.doc as Record<string, UploadedFile>).scan!.file!.text())).to.equal('%PDF');
  });

  it('lazy: reads on demand from rr’s temp file, so it is readable only while rr keeps the file', async () => {
    const leaf = dir.upload('big.bin', 'v1');
    const { files } = await readUploads(json({ f: leaf }), 'lazy');
    expect(await files[0]!.file!.text()).to.equal('v1');
    rmSync(leaf.tmpName); // what rr does when the request ends
    let error: unknown;
    await files[0]!.file!.text().catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(Error);
  });

  it('eager: reads into memory at once, so the File outlives rr’s temp file', async () => {
    const leaf = dir.upload('small.txt', 'kept');
    const { files } = await readUploads(json({ f: leaf }), 'eager');
    rmSync(leaf.tmpName);
    expect(await files[0]!.file!.text()).to.equal('kept');
  });

  it('keeps failed uploads with their PHP code and a message, and no File', async () => {
    const tree = {
      ok: dir.upload('ok.txt', 'fine'),
      forbidden: { name: 'evil.php', mime: 'text/x-php', size: 0, error: UploadError.EXTENSION, tmpName: '' },
      list: [{ name: 'x.bin', mime: '', size: 0, error: UploadError.NO_TMP_DIR, tmpName: '' }],
      partial: { name: 'p.bin', mime: '', size: 3, error: UploadError.CANT_WRITE, tmpName: '/nonexistent/upload9' },
      odd: { name: 'q', mime: '', size: 0, error: 42, tmpName: '' },
    };
    const { files } = await readUploads(json(tree), 'lazy');
    const byField = Object.fromEntries(files.map((file) => [file.field, file]));
    expect(byField.ok!.file).to.be.instanceOf(File);
    expect(byField.forbidden).to.deep.include({ error: 8, file: undefined, name: 'evil.php' });
    expect(byField.forbidden!.errorMessage).to.contain('extension');
    expect(byField['list[]']).to.deep.include({ error: 6, file: undefined });
    expect(byField['list[]']!.errorMessage).to.contain('http.uploads.dir');
    expect(byField.partial).to.deep.include({ error: 7, file: undefined, tmpName: '/nonexistent/upload9' });
    expect(byField.odd!.errorMessage).to.equal('unknown upload error code 42');
  });

  it('throws UploadUnavailableError naming the field and file when a successful upload’s temp file is missing', async () => {
    const leaf = dir.upload('gone.txt', 'x');
    rmSync(leaf.tmpName);
    let error: unknown;
    await readUploads(json({ docs: { gone: leaf } }), 'lazy').catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(UploadUnavailableError);
    const typed = error as UploadUnavailableError;
    expect(typed.code).to.equal('ERR_HTTP_UPLOAD_UNAVAILABLE');
    expect(typed.field).to.equal('docs[gone]');
    expect(typed.tmpName).to.equal(leaf.tmpName);
    expect(typed.message).to.contain(leaf.tmpName).and.contain('ENOENT').and.contain('http.uploads.dir');
  });

  it('throws UploadUnavailableError when the temp file is a directory or not named', async () => {
    await readUploads(json({ d: { name: 'd', mime: '', size: 0, error: 0, tmpName: dir.path } }), 'eager').then(
      () => expect.fail('should throw'),
      (error: unknown) => expect(error).to.be.instanceOf(UploadUnavailableError),
    );
    await readUploads(json({ d: { name: 'd', mime: '', size: 0, error: 0, tmpName: '' } }), 'lazy').then(
      () => expect.fail('should throw'),
      (error: unknown) => expect(error).to.be.instanceOf(UploadUnavailableError),
    );
  });

  it('rejects a malformed tree with a ProtocolError', async () => {
    for (const bytes of [Buffer.from('{not json'), json(['a']), json({ f: 'string' }), json({ f: null })]) {
      await readUploads(bytes, 'lazy').then(
        () => expect.fail(`should throw for ${bytes.toString()}`),
        (error: unknown) => expect(error).to.be.instanceOf(ProtocolError),
      );
    }
  });

  it('has a message for every code rr produces and none for success', () => {
    expect(uploadErrorMessage(0)).to.equal(undefined);
    for (const code of [4, 6, 7, 8]) expect(uploadErrorMessage(code)).to.be.a('string').and.not.contain('unknown');
  });
});

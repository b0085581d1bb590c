import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONSTRUCT_METADATA_FILE, findManifestFiles, readBoundedStream, readManifestFile, SeenPaths } from '../../src/io/files';

let dir: string;
const at = (f: string): string => path.join(dir, f);
function write(f: string, text = 'kind: Pod\n'): void {
  fs.mkdirSync(path.dirname(at(f)), { recursive: true });
  fs.writeFileSync(at(f), text);
}
const rel = (files: readonly string[]): string[] => files.map((f) => path.relative(dir, f));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('findManifestFiles', () => {
  test('walks folders recursively for yaml, yml and json files, sorted, skipping hidden entries and node_modules', async () => {
    for (const f of ['b.yaml', 'a.yml', 'sub/c.json', 'sub/deeper/d.YAML', 'README.md', '.hidden/e.yaml', '.f.yaml', 'node_modules/f.yaml']) write(f);
    const found = await findManifestFiles([dir]);
    expect(found).toEqual({ files: expect.any(Array), errors: [], skipped: [] });
    expect(rel(found.files)).toEqual(['a.yml', 'b.yaml', 'sub/c.json', 'sub/deeper/d.YAML']);
  });

  test("skips cdk8s's construct-metadata.json in folders and says so, but reads it when named", async () => {
    write('dist/app.k8s.yaml');
    write(`dist/${CONSTRUCT_METADATA_FILE}`, '{}');
    const found = await findManifestFiles([at('dist')]);
    expect(rel(found.files)).toEqual(['dist/app.k8s.yaml']);
    expect(rel(found.skipped)).toEqual([`dist/${CONSTRUCT_METADATA_FILE}`]);
    expect(rel((await findManifestFiles([at(`dist/${CONSTRUCT_METADATA_FILE}`)])).files)).toEqual([`dist/${CONSTRUCT_METADATA_FILE}`]);
  });

  test('takes a file as given, whatever its name, hidden or not', async () => {
    write('README.md');
    write('.hidden.yaml');
    expect(rel((await findManifestFiles([at('README.md'), at('.hidden.yaml')])).files)).toEqual(['README.md', '.hidden.yaml']);
  });

  test('follows symbolic links to files and to folders', async () => {
    write('real/pod.yaml');
    write('elsewhere/svc.yaml');
    fs.mkdirSync(at('links'));
    fs.symlinkSync(at('real/pod.yaml'), at('links/pod-link.yaml'));
    fs.symlinkSync(at('elsewhere'), at('links/dir-link'));
    const found = await findManifestFiles([at('links')]);
    expect(rel(found.files)).toEqual(['links/dir-link/svc.yaml', 'links/pod-link.yaml']);
  });

  test('walks a folder once however many links lead to it, loops included', async () => {
    write('a/pod.yaml');
    fs.symlinkSync(at('a'), at('a/loop'));
    fs.symlinkSync(dir, at('a/up'));
    const found = await findManifestFiles([at('a')]);
    expect(found.errors).toEqual([]);
    expect(rel(found.files)).toEqual(['a/pod.yaml']);
  });

  test('reads a file once, given twice, through a link, or in a folder given before', async () => {
    write('a/pod.yaml');
    fs.symlinkSync(at('a/pod.yaml'), at('link.yaml'));
    const found = await findManifestFiles([at('a'), at('a/pod.yaml'), at('link.yaml'), at('a'), `${dir}/./a/../a/pod.yaml`]);
    expect(found).toEqual({ files: [at('a/pod.yaml')], errors: [], skipped: [] });
  });

  test('the seen paths carry across calls', async () => {
    write('a/pod.yaml');
    const seen = new SeenPaths();
    expect((await findManifestFiles([at('a')], seen)).files).toHaveLength(1);
    expect(await findManifestFiles([at('a/pod.yaml')], seen)).toEqual({ files: [], errors: [], skipped: [] });
  });

  test('reports a missing path, a broken link and a folder without manifests, and still finds the rest', async () => {
    write('ok/pod.yaml');
    fs.mkdirSync(at('empty'));
    write('empty/notes.txt');
    fs.symlinkSync(at('nowhere.yaml'), at('ok/broken.yaml'));
    fs.symlinkSync(at('nowhere'), at('ok/broken-dir'));
    const found = await findManifestFiles([at('missing.yaml'), at('ok'), at('empty')]);
    expect(rel(found.files)).toEqual(['ok/pod.yaml']);
    expect(found.errors).toEqual([
      { file: at('missing.yaml'), message: 'cannot read: no such file or directory (ENOENT)' },
      { file: at('ok/broken.yaml'), message: 'cannot read: no such file or directory (ENOENT): a broken symbolic link' },
      { file: at('empty'), message: 'folder contains no *.yaml, *.yml, *.json files' },
    ]);
  });

  test('a folder that only leads to files already read is not "without manifests"', async () => {
    write('a/b/pod.yaml');
    expect((await findManifestFiles([at('a/b'), at('a')])).errors).toEqual([]);
  });
});

describe('readManifestFile', () => {
  test('reads, decodes and parses a file', async () => {
    write('pod.yaml', 'apiVersion: v1\nkind: Pod\n');
    const r = await readManifestFile(at('pod.yaml'));
    expect(r.errors).toEqual([]);
    expect(r.objects.map((o) => o.object)).toEqual([{ apiVersion: 'v1', kind: 'Pod' }]);
  });

  test('refuses a file larger than the limit without reading it', async () => {
    write('big.yaml', 'x'.repeat(2000));
    expect((await readManifestFile(at('big.yaml'), { maxFileBytes: 1024 })).errors).toEqual([
      { file: at('big.yaml'), message: 'is 2000 bytes, more than the limit of 1 KiB; raise it with --max-file-size if this input is expected' },
    ]);
  });

  test('stops reading an endless device at the limit', async () => {
    const t0 = Date.now();
    const r = await readManifestFile('/dev/zero', { maxFileBytes: 4 * 2 ** 20 });
    expect(r.errors).toEqual([
      { file: '/dev/zero', message: 'is more than the limit of 4 MiB; raise it with --max-file-size if this input is expected' },
    ]);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  test('reports a file that cannot be read', async () => {
    expect((await readManifestFile(at('nope.yaml'))).errors).toEqual([
      { file: at('nope.yaml'), message: 'cannot read: no such file or directory (ENOENT)' },
    ]);
    expect((await readManifestFile(dir)).errors).toEqual([{ file: dir, message: 'cannot read: is a directory (EISDIR)' }]);
  });
});

describe('readBoundedStream', () => {
  test('reads a stream to its end, or stops past the limit', async () => {
    async function* chunks(n: number): AsyncGenerator<Buffer> {
      for (let i = 0; i < n; i++) yield Buffer.alloc(1000, 0x61);
    }
    expect((await readBoundedStream(chunks(3), 5000)).length).toBe(3000);
    let pulled = 0;
    const counting = (async function* () {
      for await (const c of chunks(1_000_000)) {
        pulled++;
        yield c;
      }
    })();
    expect((await readBoundedStream(counting, 5000)).length).toBe(6000);
    expect(pulled).toBe(6);
  });
});

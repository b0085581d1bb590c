import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { ManifestSyntaxError, manifestFiles, parseManifests, splitFieldPath } from '../../src/io/manifests';

describe('splitFieldPath', () => {
  test.each([
    ['spec', ['spec']],
    ['spec.containers[0].image', ['spec', 'containers', 0, 'image']],
    [
      'spec.jobTemplate.spec.template.spec.initContainers[12].env[3].value',
      ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'initContainers', 12, 'env', 3, 'value'],
    ],
    [
      'metadata.annotations["safe-pods.cdk8s.io/suppress.image-unpinned.main"]',
      ['metadata', 'annotations', 'safe-pods.cdk8s.io/suppress.image-unpinned.main'],
    ],
    ['a["x\\"y"].b', ['a', 'x"y', 'b']],
  ])('splits %p', (field, keys) => {
    expect(splitFieldPath(field)).toEqual(keys);
  });

  test.each(['a..b', 'a[x]', 'a["x]', '.a', 'a.'])('rejects %p', (field) => {
    expect(splitFieldPath(field)).toBeUndefined();
  });

  test('round-trips any path of keys and indexes', () => {
    const key = fc.string({ minLength: 1 });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z]+$/), fc.array(fc.oneof(key, fc.nat())), (first, rest) => {
        const field = first + rest.map((k) => (typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`)).join('');
        expect(splitFieldPath(field)).toEqual([first, ...rest]);
      }),
    );
  });
});

describe('parseManifests', () => {
  const text = [
    'apiVersion: v1', //                         1
    'kind: Pod', //                              2
    'metadata: {name: a}', //                    3
    'spec:', //                                  4
    '  containers:', //                          5
    '    - name: main', //                       6
    '      image: nginx:latest', //              7
    '---', //                                    8
    '# nothing but a comment', //                9
    '---', //                                   10
    'apiVersion: v1', //                        11
    'kind: List', //                            12
    'items:', //                                13
    '  - apiVersion: v1', //                    14
    '    kind: Service', //                     15
    '    metadata: {name: s}', //               16
    '  - apiVersion: apps/v1', //               17
    '    kind: Deployment', //                  18
    '    metadata: {name: d}', //               19
    '    spec:', //                             20
    '      template:', //                       21
    '        spec:', //                         22
    '          containers: [{name: c, image: x}]', // 23
    '---', //                                   24
    '', //                                      25
  ].join('\n');

  test('reads every document, skips empty ones and expands List items, each with file, document, item and line', () => {
    const objects = parseManifests(text, 'app.yaml');
    expect(objects.map((o) => [(o.object as any).kind, o.source])).toEqual([
      ['Pod', { file: 'app.yaml', document: 0, line: 1 }],
      ['Service', { file: 'app.yaml', document: 2, item: 0, line: 14 }],
      ['Deployment', { file: 'app.yaml', document: 2, item: 1, line: 17 }],
    ]);
  });

  test('finds the line of a field, or of its deepest existing parent', () => {
    const [pod, , deploy] = parseManifests(text, 'app.yaml');
    expect(pod.lineOf!('spec.containers[0].image')).toBe(7);
    expect(pod.lineOf!('spec.containers[0].imagePullPolicy')).toBe(6);
    expect(pod.lineOf!('metadata.annotations["x"]')).toBe(3);
    expect(deploy.lineOf!('spec.template.spec.containers[0].image')).toBe(23);
  });

  test('reads JSON, including a top-level array of objects', () => {
    const objects = parseManifests('[\n  {"apiVersion": "v1", "kind": "Pod"},\n  {"apiVersion": "v1", "kind": "Service"}\n]\n', 'x.json');
    expect(objects.map((o) => [(o.object as any).kind, o.source!.line, o.source!.item])).toEqual([
      ['Pod', 2, 0],
      ['Service', 3, 1],
    ]);
  });

  test('reads yes and no as booleans, as kubectl (YAML 1.1) does', () => {
    const [o] = parseManifests('kind: Pod\nspec: {enableServiceLinks: no}\n', 'x.yaml');
    expect((o.object as any).spec.enableServiceLinks).toBe(false);
  });

  test('gives nothing for an empty file', () => {
    expect(parseManifests('', 'x.yaml')).toEqual([]);
    expect(parseManifests('---\n---\n', 'x.yaml')).toEqual([]);
  });

  test('throws a syntax error with the file and line', () => {
    const err = (() => {
      try {
        parseManifests('kind: Pod\n---\nspec:\n  containers: [\n', 'bad.yaml');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ManifestSyntaxError);
    expect((err as ManifestSyntaxError).file).toBe('bad.yaml');
    expect((err as ManifestSyntaxError).line).toBe(5);
    expect((err as ManifestSyntaxError).message).toMatch(/^bad\.yaml:5:1: /);
  });
});

describe('manifestFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-pods-files-'));
    for (const f of ['b.yaml', 'a.yml', 'sub/c.json', 'sub/deeper/d.YAML', 'README.md', '.hidden/e.yaml', 'node_modules/f.yaml']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '');
    }
    fs.mkdirSync(path.join(dir, 'empty'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('walks folders recursively for yaml, yml and json files, sorted, skipping hidden folders and node_modules', async () => {
    const files = await manifestFiles([dir]);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['a.yml', 'b.yaml', 'sub/c.json', 'sub/deeper/d.YAML']);
  });

  test('takes a file as given, whatever its extension', async () => {
    expect(await manifestFiles([path.join(dir, 'README.md')])).toEqual([path.join(dir, 'README.md')]);
  });

  test('rejects a missing path and a folder without manifests', async () => {
    await expect(manifestFiles([path.join(dir, 'nope.yaml')])).rejects.toThrow(/nope\.yaml: cannot read: ENOENT/);
    await expect(manifestFiles([path.join(dir, 'empty')])).rejects.toThrow(/folder contains no \*\.yaml, \*\.yml, \*\.json files/);
  });
});

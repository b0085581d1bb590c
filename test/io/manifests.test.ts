import * as fc from 'fast-check';
import { formatInputError, printableFileName, readManifestBytes, readManifestText, splitFieldPath } from '../../src/io/manifests';

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

describe('readManifestText', () => {
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
    '          containers: [{name: c, image: x, imagePullPolicy: yes}]', // 23
    '---', //                                   24
    '', //                                      25
  ].join('\n');

  test('reads every document, skips empty ones and expands List items, each with file, document, item and line', () => {
    const { objects, errors } = readManifestText(text, 'app.yaml');
    expect(errors).toEqual([]);
    expect(objects.map((o) => [(o.object as any).kind, { ...o.source, line: o.source!.line }])).toEqual([
      ['Pod', { file: 'app.yaml', document: 0, line: 1 }],
      ['Service', { file: 'app.yaml', document: 2, item: 0, line: 14 }],
      ['Deployment', { file: 'app.yaml', document: 2, item: 1, line: 17 }],
    ]);
  });

  test('locates a field (line, column), or its deepest existing parent, and gives the raw text of plain scalars', () => {
    const [pod, , deploy] = readManifestText(text, 'app.yaml').objects;
    expect(pod.locate!('spec.containers[0].image')).toEqual({ line: 7, column: 14, plain: 'nginx:latest' });
    expect(pod.locate!('spec.containers[0].imagePullPolicy')).toEqual({ line: 6, column: 7 });
    expect(pod.locate!('metadata.annotations["x"]')).toEqual({ line: 3, column: 11 });
    expect(pod.locate!('metadata.name')).toEqual({ line: 3, column: 18, plain: 'a' });
    expect(deploy.locate!('spec.template.spec.containers[0].image')).toEqual({ line: 23, column: 41, plain: 'x' });
    expect(deploy.locate!('spec.template.spec.containers[0].imagePullPolicy')).toEqual({ line: 23, column: 61, plain: 'yes' });
    expect((deploy.object as any).spec.template.spec.containers[0].imagePullPolicy).toBe(true);
    expect(pod.locate!('not a path..')).toBeUndefined();
  });

  test('locates through quoted, block, tagged, anchored, aliased and merged values', () => {
    const doc = [
      'kind: Pod', //                               1
      'a: "yes"', //                                2
      'b: |', //                                    3
      '  text', //                                  4
      'c: !!str on', //                             5
      'd: &anchor', //                              6
      '  e: off # comment', //                      7
      'f: *anchor', //                              8
      'g:', //                                      9
      '  <<: *anchor', //                          10
      '  h: 1', //                                 11
      'i:', //                                     12
      'j: [a, "b"]', //                            13
    ].join('\n');
    const [o] = readManifestText(doc, 'x.yaml').objects;
    expect(o.locate!('a')).toEqual({ line: 2, column: 4 });
    expect(o.locate!('b')).toEqual({ line: 3, column: 4 });
    expect(o.locate!('c')).toEqual({ line: 5, column: 10 });
    expect(o.locate!('d.e')).toEqual({ line: 7, column: 6, plain: 'off' });
    expect(o.locate!('f')).toEqual({ line: 8, column: 4 });
    expect(o.locate!('f.e')).toEqual({ line: 7, column: 6, plain: 'off' });
    expect(o.locate!('g.e')).toEqual({ line: 7, column: 6, plain: 'off' });
    expect(o.locate!('g.h')).toEqual({ line: 11, column: 6, plain: '1' });
    expect(o.locate!('i')).toEqual({ line: 12, column: 3 });
    expect(o.locate!('j[0]')).toEqual({ line: 13, column: 5, plain: 'a' });
    expect(o.locate!('j[1]')).toEqual({ line: 13, column: 8 });
    expect(o.locate!('j[2]')).toEqual({ line: 13, column: 4 });
  });

  test('locates in documents whose node events do not line up with the data (a flow sequence of pairs)', () => {
    const [o] = readManifestText('kind: Pod\nspec:\n  list: [a: 1, b: 2]\n  after: x\n', 'x.yaml').objects;
    expect(o.locate!('spec.list[1].b')).toEqual({ line: 3, column: 19, plain: '2' });
    expect(o.locate!('spec.after')).toEqual({ line: 4, column: 10, plain: 'x' });
  });

  test('reads JSON, including a top-level array of objects, locating the items', () => {
    const { objects } = readManifestText('[\n  {"apiVersion": "v1", "kind": "Pod"},\n  {"apiVersion": "v1", "kind": "Service"}\n]\n', 'x.json');
    expect(objects.map((o) => [(o.object as any).kind, o.source!.line, o.source!.column, o.source!.item])).toEqual([
      ['Pod', 2, 3, 0],
      ['Service', 3, 3, 1],
    ]);
  });

  test('reads yes and no as booleans and 0755 as octal, as kubectl (go-yaml v2, YAML 1.1) does', () => {
    const [o] = readManifestText('kind: Pod\nspec: {enableServiceLinks: no, mode: 0755, tag: "yes"}\n', 'x.yaml').objects;
    expect((o.object as any).spec).toEqual({ enableServiceLinks: false, mode: 493, tag: 'yes' });
  });

  test('gives nothing for an empty file, blank documents and null documents', () => {
    expect(readManifestText('', 'x.yaml')).toEqual({ objects: [], errors: [] });
    expect(readManifestText('---\n---\n# c\n---\n~\n---\nnull\n', 'x.yaml')).toEqual({ objects: [], errors: [] });
  });

  test('reports a syntax error with file, line and column, and still reads the other documents', () => {
    const { objects, errors } = readManifestText('kind: Pod\n---\nspec:\n  containers: [\n---\nkind: Service\n', 'bad.yaml');
    expect(objects.map((o) => (o.object as any).kind)).toEqual(['Pod', 'Service']);
    expect(errors).toEqual([
      { file: 'bad.yaml', line: 5, column: 1, message: expect.stringContaining('unexpected end of the stream within a flow collection') },
    ]);
    expect(formatInputError(errors[0])).toMatch(/^bad\.yaml:5:1: unexpected end/);
  });

  test('reports a duplicated key where the second one is', () => {
    const { errors } = readManifestText('kind: Pod\nspec:\n  a: 1\n  b: 2\n  a: 3\n', 'x.yaml');
    expect(errors).toEqual([
      { file: 'x.yaml', line: 5, column: 3, message: expect.stringMatching(/^duplicated key "a": kubectl refuses duplicate fields/) },
    ]);
  });

  test.each([
    ['.inf', 'kind: Pod\nspec:\n  x: .inf\n', 3, 6, /\.inf and \.nan have no JSON form/],
    ['-.Inf in an anchored document', 'kind: Pod\nspec: &s\n  x: [-.Inf]\n', 3, 7, /have no JSON form/],
    ['a self-containing alias', 'kind: Pod\nspec: &a\n  x: *a\n', 3, 6, /anchor value contains itself/],
    ['a self-containing flow alias', 'kind: Pod\nspec: &a [*a]\n', 2, 11, /anchor value contains itself/],
    [
      'an unrendered template (a mapping as a key)',
      'kind: Pod\nspec:\n  replicas: {{ replicas }}\n',
      3,
      13,
      /a mapping is used as a key: kubectl refuses it \(go-yaml: "invalid map key"\); is this an unrendered template/,
    ],
    ['a mapping as a key in an anchored document', 'kind: Pod\nspec: &s\n  x: {{a: 1}: 2}\n', 3, 6, /a mapping is used as a key/],
  ])('refuses %s as kubectl does, at the node', (_name, doc, line, column, message) => {
    const { objects, errors } = readManifestText(`${doc}---\nkind: Service\n`, 'x.yaml');
    expect(errors).toEqual([{ file: 'x.yaml', line, column, message: expect.stringMatching(message) }]);
    expect(objects.map((o) => (o.object as any).kind)).toEqual(['Service']);
  });

  test('refuses the billion laughs with go-yaml v2 alias limits, in time linear in the text', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const [prev, cur] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { objects, errors } = readManifestText(`kind: Bomb\n${lines.join('\n')}\n`, 'bomb.yaml');
    expect(objects).toEqual([]);
    expect(errors).toEqual([
      {
        file: 'bomb.yaml',
        line: expect.any(Number),
        column: expect.any(Number),
        message: expect.stringContaining('document contains excessive aliasing'),
      },
    ]);
  });

  test('accepts aliases within go-yaml v2 limits', () => {
    const anchors = 'base: &b {a: 1, b: 2}\n' + Array.from({ length: 300 }, (_, i) => `k${i}: *b`).join('\n');
    expect(readManifestText(`kind: X\n${anchors}\n`, 'x.yaml').errors).toEqual([]);
  });

  test('refuses collections nested deeper than the limit, in block and flow style, without a stack overflow', () => {
    const flow = (n: number): string => `kind: Deep\nx: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(readManifestText(flow(199), 'x.yaml').errors).toEqual([]); // the document's map, then 199 lists
    expect(readManifestText(flow(200), 'x.yaml').errors).toEqual([
      { file: 'x.yaml', line: 2, column: expect.any(Number), message: expect.stringContaining('more than 200 levels') },
    ]);
    expect(readManifestText(flow(20), 'x.yaml', { maxDepth: 10 }).errors[0].message).toMatch(
      /more than 10 levels deep \(raise the limit with --max-depth\)/,
    );
    expect(readManifestText(flow(100_000), 'x.yaml').errors).toEqual([
      { file: 'x.yaml', line: 1, message: expect.stringContaining('nested too deeply') },
    ]);
    const block = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(readManifestText(`${block} 1\n`, 'x.yaml').errors[0].message).toMatch(/more than 200 levels/);
  });
});

describe('readManifestBytes', () => {
  test('decodes, then reads; a file larger than the limit is refused before anything is parsed', () => {
    expect(readManifestBytes(Buffer.from('\ufeffkind: Pod\n'), 'x.yaml').objects).toHaveLength(1);
    expect(readManifestBytes(Buffer.from('kind: Pod\n'), 'x.yaml', { maxFileBytes: 5 })).toEqual({
      objects: [],
      errors: [{ file: 'x.yaml', message: 'is 10 bytes, more than the limit of 5 bytes; raise it with --max-file-size if this input is expected' }],
    });
    expect(readManifestBytes(Buffer.from([0x61, 0xff]), 'x.yaml').errors).toEqual([
      { file: 'x.yaml', line: 1, column: 2, message: expect.stringContaining('not valid UTF-8') },
    ]);
  });
});

describe('printableFileName', () => {
  test.each([
    ['plain/path.yaml', 'plain/path.yaml'],
    ['spaces and ünïcode.yaml', 'spaces and ünïcode.yaml'],
    ['a\nb.yaml', '"a\\nb.yaml"'],
    ['\u001b[31mred.yaml', '"\\u001b[31mred.yaml"'],
    ['evil\u202eSJ.yaml', '"evil\\u202eSJ.yaml"'],
    ['x\u2028y', '"x\\u2028y"'],
  ])('prints %j as %s', (name, printed) => {
    expect(printableFileName(name)).toBe(printed);
  });
});

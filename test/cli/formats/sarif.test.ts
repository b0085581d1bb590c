import * as path from 'path';
import { STDIN_FILE_NAME } from '../../../src/cli/formats/paths';
import type { Report } from '../../../src/cli/formats/report';
import { FINGERPRINT_KEY, formatSarif, RULE_DOCS_URL, SRCROOT, toSarif } from '../../../src/cli/formats/sarif';
import type { SarifLog } from '../../../src/cli/formats/sarif';
import { ODD_FILE_NAMES, RULES, finding, report } from './sample';
import { draft04KeywordsIn, sarifErrors, shippedSchema } from './sarif-schema';

const CWD = path.resolve('/repo');

function run(log: SarifLog): SarifLog['runs'][number] {
  expect(log.runs).toHaveLength(1);
  return log.runs[0];
}

/** A deep copy of a log as plain JSON, to mutate. */
function plain(log: SarifLog): any {
  return JSON.parse(JSON.stringify(log));
}

const LOGS: ReadonlyArray<[string, Report]> = [
  ['no findings', report()],
  [
    'findings of both severities, sorted across files',
    report({
      findings: [
        finding({ file: 'b.yaml', line: 3 }),
        finding({ rule: 'image-floating-tag', severity: 'warning', file: 'a.yaml', line: 9, column: undefined }),
        finding({ file: 'a.yaml', line: undefined, column: undefined }),
      ],
    }),
  ],
  [
    'input errors',
    report({
      errors: [
        { file: 'broken.yaml', line: 2, column: 1, message: 'bad indentation' },
        { file: 'gone.yaml', message: 'ENOENT' },
      ],
    }),
  ],
  [
    'standard input',
    report({ findings: [finding({ file: STDIN_FILE_NAME })], errors: [{ file: STDIN_FILE_NAME, line: 1, message: 'not YAML' }], files: 1 }),
  ],
  ['construct paths', report({ findings: [finding({ constructPath: 'prod/web/Resource' }), finding({ constructPath: 'x', namespace: undefined })] })],
  ['objects built in memory (no file)', report({ findings: [finding({ file: undefined, line: undefined, column: undefined })] })],
  ['a file outside the working directory', report({ findings: [finding({ file: '../elsewhere/x y.yaml' }), finding({ file: '/abs/p.yaml' })] })],
  ['a rule that is not in the catalogue', report({ findings: [finding({ rule: 'not-a-rule' })] })],
  [
    'odd file names',
    report({
      findings: ODD_FILE_NAMES.map((file, i) => finding({ file, line: i + 1 })),
      errors: ODD_FILE_NAMES.map((file) => ({ file, message: 'x' })),
    }),
  ],
];

describe('toSarif', () => {
  test('the shipped schema is the SARIF 2.1.0 schema, and needs no draft-04 translation beyond its root id', () => {
    const schema = shippedSchema();
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(draft04KeywordsIn(schema)).toEqual([]);
  });

  test.each(LOGS)('writes a log valid against the SARIF 2.1.0 schema: %s', (_name, r) => {
    const log = toSarif(r, { cwd: CWD });
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
  });

  test.each<[string, (log: any) => void, RegExp]>([
    ['a wrong version', (l) => (l.version = '2.0.0'), /must be equal to one of the allowed values/],
    ['a result without a message', (l) => delete l.runs[0].results[0].message, /must have required property 'message'/],
    ['an unknown level', (l) => (l.runs[0].results[0].level = 'fatal'), /allowed values/],
    ['a line numbered from 0', (l) => (l.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0), /must be >= 1/],
    [
      'a URI that is not a URI reference',
      (l) => (l.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'a b\n.yaml'),
      /uri-reference/,
    ],
    ['an unknown property', (l) => (l.runs[0].results[0].severity = 'error'), /must NOT have additional properties/],
    ['a rule without an id', (l) => delete l.runs[0].tool.driver.rules[0].id, /must have required property 'id'/],
  ])('the schema rejects a log broken by %s', (_name, mutate, expected) => {
    const log = plain(toSarif(report({ findings: [finding()] }), { cwd: CWD }));
    expect(sarifErrors(log)).toEqual([]);
    mutate(log);
    expect(sarifErrors(log).join('\n')).toMatch(expected);
  });

  test('describes every rule of the report: id, name, descriptions, help with a link to its section of docs/rules.md, level', () => {
    const { rules } = run(toSarif(report(), { cwd: CWD })).tool.driver;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules[1]).toEqual({
      id: 'image-floating-tag',
      name: 'ImageFloatingTag',
      shortDescription: { text: RULES[1].title },
      fullDescription: { text: RULES[1].reason },
      help: { text: RULES[1].fix, markdown: expect.stringContaining(`(${RULE_DOCS_URL}#image-floating-tag)`) },
      helpUri: `${RULE_DOCS_URL}#image-floating-tag`,
      defaultConfiguration: { level: 'warning' },
    });
    expect(RULE_DOCS_URL).toBe('https://github.com/cdk8s-safe-pods/cdk8s-safe-pods/blob/main/docs/rules.md');
  });

  test('names the tool with its version and home page', () => {
    expect(run(toSarif(report(), { cwd: CWD })).tool.driver).toMatchObject({
      name: 'cdk8s-safe-pods',
      version: '0.1.0',
      informationUri: 'https://github.com/cdk8s-safe-pods/cdk8s-safe-pods',
    });
  });

  test('a result has its rule id and index, level, message with the object, and the file relative to cwd with line and column', () => {
    const f = finding({ rule: 'lifecycle-tcp-socket', file: path.join(CWD, 'dist', 'prod.k8s.yaml') });
    const [result] = run(toSarif(report({ findings: [f] }), { cwd: CWD })).results;
    expect(result).toMatchObject({
      ruleId: 'lifecycle-tcp-socket',
      ruleIndex: 2,
      level: 'error',
      message: { text: `Deployment "prod/web": ${f.message}` },
    });
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'dist/prod.k8s.yaml', uriBaseId: SRCROOT },
      region: { startLine: 12, startColumn: 18 },
    });
    expect(result.properties).toMatchObject({ kind: 'Deployment', name: 'web', namespace: 'prod', field: f.field, container: 'web' });
  });

  test('relative file names are resolved against cwd, not the process working directory', () => {
    const [result] = run(toSarif(report({ findings: [finding({ file: 'deploy/x.yaml' })] }), { cwd: CWD })).results;
    expect(result.locations[0].physicalLocation?.artifactLocation.uri).toBe('deploy/x.yaml');
    expect(run(toSarif(report(), { cwd: CWD })).originalUriBaseIds[SRCROOT].uri).toMatch(/^file:\/\/\/(.*\/)?repo\/$/);
  });

  test('writes warnings with level warning, and no region when the line is not known', () => {
    const [result] = run(
      toSarif(report({ findings: [finding({ severity: 'warning', rule: 'image-floating-tag', line: undefined })] }), { cwd: CWD }),
    ).results;
    expect(result.level).toBe('warning');
    expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'dist/prod.k8s.yaml', uriBaseId: SRCROOT } });
  });

  test('percent-encodes file names: spaces, non-ASCII, newlines, %, #, ? and : cannot change the URI', () => {
    const uris = run(toSarif(report({ findings: ODD_FILE_NAMES.map((file) => finding({ file })) }), { cwd: CWD })).results.map(
      (r) => r.locations[0].physicalLocation?.artifactLocation.uri,
    );
    expect(uris).toContain('manifests/with%20space.yaml');
    expect(uris).toContain('manifests/line%0Abreak.yaml');
    expect(uris).toContain('manifests/100%25%23frag%3Fquery.yaml');
    expect(uris).toContain('manifests/a%3Ab%2Cc.yaml');
    expect(uris).toContain('manifests/emoji%20%F0%9F%9A%80.json');
    expect(uris).toContain('manifests/lone%EF%BF%BDsurrogate.yaml');
    for (const uri of uris) expect(uri).toMatch(/^manifests\/[A-Za-z0-9%._~!'()*-]+$/);
    // decoding gives the name back (but for the lone surrogate, which is not text)
    const decoded = uris.map((u) => decodeURIComponent(u!.slice('manifests/'.length)));
    for (const name of ODD_FILE_NAMES.filter((n) => !n.includes('\ud800'))) expect(decoded).toContain(name.slice('manifests/'.length));
  });

  test('a file outside cwd gets an absolute file:// URI and no uriBaseId', () => {
    const [result] = run(toSarif(report({ findings: [finding({ file: '../other repo/x.yaml' })] }), { cwd: CWD })).results;
    expect(result.locations[0].physicalLocation?.artifactLocation).toEqual({
      uri: expect.stringMatching(/^file:\/\/\/(.*\/)?other%20repo\/x\.yaml$/),
    });
  });

  test('sorts results by file, line, column and rule', () => {
    const findings = [
      finding({ file: 'b.yaml', line: 1, rule: 'image-not-pinned' }),
      finding({ file: 'a.yaml', line: 5, column: 9, rule: 'image-not-pinned' }),
      finding({ file: 'a.yaml', line: 5, column: 9, rule: 'image-floating-tag' }),
      finding({ file: 'a.yaml', line: 5, column: 3, rule: 'lifecycle-tcp-socket' }),
      finding({ file: undefined, line: undefined, rule: 'image-not-pinned' }),
      finding({ file: 'a.yaml', line: 2, rule: 'lifecycle-tcp-socket' }),
    ];
    const results = run(toSarif(report({ findings }), { cwd: CWD })).results;
    expect(
      results.map(
        (r) =>
          `${r.locations[0].physicalLocation?.artifactLocation.uri ?? '-'}:${r.locations[0].physicalLocation?.region?.startLine ?? '-'}:${r.ruleId}`,
      ),
    ).toEqual([
      'a.yaml:2:lifecycle-tcp-socket',
      'a.yaml:5:lifecycle-tcp-socket',
      'a.yaml:5:image-floating-tag',
      'a.yaml:5:image-not-pinned',
      'b.yaml:1:image-not-pinned',
      '-:-:image-not-pinned',
    ]);
  });

  test('a finding from standard input has the object as logical location and no physical location', () => {
    const log = toSarif(report({ findings: [finding({ file: STDIN_FILE_NAME })] }), { cwd: CWD });
    const [result] = run(log).results;
    expect(result.locations).toEqual([{ logicalLocations: [{ name: 'web', fullyQualifiedName: 'Deployment/prod/web', kind: 'resource' }] }]);
    expect(sarifErrors(log)).toEqual([]);
  });

  test('shows the construct path in the message and as a logical location', () => {
    const [result] = run(toSarif(report({ findings: [finding({ constructPath: 'prod/web/Resource' })] }), { cwd: CWD })).results;
    expect(result.message.text).toMatch(/^Deployment "prod\/web" \(construct "prod\/web\/Resource"\): container "web"/);
    expect(result.locations[0].logicalLocations).toContainEqual({ name: 'Resource', fullyQualifiedName: 'prod/web/Resource', kind: 'construct' });
    expect(result.properties.constructPath).toBe('prod/web/Resource');
  });

  test('fingerprints survive moved lines and reruns, and differ by rule, file, object, field and occurrence', () => {
    const fp = (...findings: ReturnType<typeof finding>[]): string[] =>
      run(toSarif(report({ findings }), { cwd: CWD })).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const [base] = fp(finding());
    expect(fp(finding())).toEqual([base]);
    expect(fp(finding({ line: 40, column: 2 }))).toEqual([base]);
    expect(base).toMatch(/^[0-9a-f]{32}:1$/);
    const others = [
      ...fp(finding({ rule: 'image-floating-tag' })),
      ...fp(finding({ file: 'other.yaml' })),
      ...fp(finding({ name: 'api' })),
      ...fp(finding({ namespace: 'dev' })),
      ...fp(finding({ kind: 'StatefulSet' })),
      ...fp(finding({ field: 'spec.template.spec.containers[1].image' })),
    ];
    expect(new Set([base, ...others]).size).toBe(7);
    const twice = fp(finding(), finding());
    expect(twice[0]).toBe(base);
    expect(twice[1]).toBe(base.replace(/:1$/, ':2'));
  });

  test('input errors are error notifications of a failed execution; without them the execution succeeded', () => {
    const bad = toSarif(report({ errors: [{ file: 'broken.yaml', line: 2, column: 5, message: 'bad indentation' }] }), { cwd: CWD });
    expect(run(bad).invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'broken.yaml: bad indentation' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'broken.yaml', uriBaseId: SRCROOT }, region: { startLine: 2, startColumn: 5 } } },
            ],
          },
        ],
      },
    ]);
    expect(run(toSarif(report(), { cwd: CWD })).invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });

  test('formatSarif prints the log as indented JSON with a final newline', () => {
    const text = formatSarif(report({ findings: [finding()] }), { cwd: CWD });
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toSarif(report({ findings: [finding()] }), { cwd: CWD }))));
  });
});

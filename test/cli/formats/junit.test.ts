/* eslint-disable no-control-regex -- these tests are about control characters */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatJunit, xmlAttr, xmlText } from '../../../src/cli/formats/junit';
import { STDIN_FILE_NAME } from '../../../src/cli/formats/paths';
import type { ReportObject } from '../../../src/cli/formats/report';
import { ODD_FILE_NAMES, finding, report } from './sample';

/** Validates (well-formed XML 1.0) and parses, with every `testsuite`, `testcase`, `failure` and `error` as an array. */
function parse(xml: string): any {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}\n${xml}`);
  // XMLValidator checks the structure; XML 1.0 also forbids most control characters anywhere, even escaped
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]|&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[124-9]|2[0-9]|3[01]));/i);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true, // decodes character references (&#10;), which XML requires
    processEntities: true,
    isArray: (name) => ['testsuite', 'testcase', 'failure', 'error'].includes(name),
  }).parse(xml);
}

/** What comes back from the XML for `s`: the characters XML 1.0 cannot carry spelled out as `\uXXXX`. */
function spelledOut(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const OBJECTS: ReportObject[] = [
  { file: 'dist/prod.k8s.yaml', line: 1, document: 0, kind: 'Deployment', name: 'web', namespace: 'prod' },
  { file: 'dist/prod.k8s.yaml', line: 30, document: 1, kind: 'CronJob', name: 'backup', namespace: 'prod' },
  { file: 'dist/dev.k8s.yaml', line: 1, document: 0, kind: 'Pod', name: 'debug' },
];

describe('formatJunit', () => {
  test('one testsuite per file, one testcase per judged object, one failure per error finding; warnings in system-out', () => {
    const xml = formatJunit(
      report({
        objects: { judged: 3, notJudged: {}, list: OBJECTS },
        findings: [
          finding({ line: 12 }),
          finding({ line: 14, rule: 'lifecycle-tcp-socket', message: 'tcpSocket hook' }),
          finding({ line: 13, rule: 'image-floating-tag', severity: 'warning', message: 'tag "stable" moves' }),
          finding({ file: 'dist/dev.k8s.yaml', kind: 'Pod', name: 'debug', namespace: undefined, severity: 'warning', rule: 'image-floating-tag' }),
        ],
      }),
    );
    const doc = parse(xml);
    expect(doc.testsuites).toMatchObject({ name: 'cdk8s-safe-pods', tests: '3', failures: '1', errors: '0' });
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: any) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      ['dist/dev.k8s.yaml', '1', '0', '0'],
      ['dist/prod.k8s.yaml', '2', '1', '0'],
    ]);
    const prod = suites[1].testcase;
    expect(prod.map((c: any) => [c.classname, c.name])).toEqual([
      ['dist/prod.k8s.yaml', 'Deployment prod/web'],
      ['dist/prod.k8s.yaml', 'CronJob prod/backup'],
    ]);
    expect(prod[0].failure.map((f: any) => [f.type, f.message])).toEqual([
      ['error', `image-not-pinned: ${finding().message}`],
      ['error', 'lifecycle-tcp-socket: tcpSocket hook'],
    ]);
    expect(prod[0].failure[0]['#text']).toContain('at: dist/prod.k8s.yaml:12:18');
    expect(prod[0].failure[0]['#text']).toContain(
      'rule: image-not-pinned (https://github.com/cdk8s-safe-pods/cdk8s-safe-pods/blob/main/docs/rules.md#image-not-pinned)',
    );
    expect(prod[0]['system-out']).toBe('dist/prod.k8s.yaml:13:18: warning image-floating-tag: Deployment "prod/web": tag "stable" moves');
    expect(prod[1].failure).toBeUndefined();
    expect(suites[0].testcase[0]).toMatchObject({ name: 'Pod debug' });
    expect(suites[0].testcase[0].failure).toBeUndefined();
    expect(suites[0].testcase[0]['system-out']).toMatch(/warning image-floating-tag/);
  });

  test('with warningsFail, warnings are failures of type warning', () => {
    const doc = parse(formatJunit(report({ findings: [finding({ severity: 'warning', rule: 'image-floating-tag' })] }), { warningsFail: true }));
    const [c] = doc.testsuites.testsuite[0].testcase;
    expect(c.failure.map((f: any) => f.type)).toEqual(['warning']);
    expect(c['system-out']).toBeUndefined();
    expect(doc.testsuites.failures).toBe('1');
  });

  test('without the list of judged objects, lists the objects with findings', () => {
    const doc = parse(formatJunit(report({ findings: [finding(), finding({ name: 'api', line: 40 })] })));
    expect(doc.testsuites.testsuite[0].testcase.map((c: any) => c.name)).toEqual(['Deployment prod/web', 'Deployment prod/api']);
  });

  test('objects with the same name in different documents are different test cases', () => {
    const doc = parse(formatJunit(report({ findings: [finding({ document: 0 }), finding({ document: 3, line: 50 })] })));
    expect(doc.testsuites.testsuite[0].testcase).toHaveLength(2);
  });

  test('a file that could not be read is a test case with an error', () => {
    const doc = parse(
      formatJunit(
        report({
          findings: [finding()],
          errors: [
            { file: 'broken.yaml', line: 3, column: 2, message: 'bad indentation' },
            { file: STDIN_FILE_NAME, message: 'not YAML' },
          ],
        }),
      ),
    );
    expect(doc.testsuites).toMatchObject({ tests: '3', failures: '1', errors: '2' });
    const broken = doc.testsuites.testsuite.find((s: any) => s.name === 'broken.yaml');
    expect(broken).toMatchObject({ tests: '1', failures: '0', errors: '1' });
    expect(broken.testcase[0]).toMatchObject({ classname: 'broken.yaml', name: '(file could not be read)', line: '3' });
    expect(broken.testcase[0].error[0]).toMatchObject({ type: 'input', message: 'bad indentation', '#text': 'broken.yaml:3:2: bad indentation' });
    expect(doc.testsuites.testsuite.map((s: any) => s.name)).toContain('<stdin>');
  });

  test('objects not read from a file go to the last suite, "(no file)"', () => {
    const doc = parse(formatJunit(report({ findings: [finding({ file: undefined, line: undefined }), finding({ file: 'z.yaml' })] })));
    expect(doc.testsuites.testsuite.map((s: any) => s.name)).toEqual(['z.yaml', '(no file)']);
  });

  test('shows the construct path in the failure', () => {
    const doc = parse(formatJunit(report({ findings: [finding({ constructPath: 'prod/web/Resource' })] })));
    expect(doc.testsuites.testsuite[0].testcase[0].failure[0]['#text']).toMatch(/^Deployment "prod\/web" \(construct "prod\/web\/Resource"\): /);
  });

  test('an empty report is a valid document with no suites', () => {
    const doc = parse(formatJunit(report({ objects: { judged: 0, notJudged: {} } })));
    expect(doc.testsuites).toMatchObject({ tests: '0', failures: '0', errors: '0' });
    expect(doc.testsuites.testsuite).toBeUndefined();
  });

  test.each(ODD_FILE_NAMES)('file name %j: the document stays well-formed and the name survives where XML can carry it', (file) => {
    const evil = `${file} ]]> <!-- --> &amp; \u0000\u0007\ufffe`;
    const xml = formatJunit(
      report({
        objects: { judged: 1, notJudged: {}, list: [{ file, kind: 'Pod', name: evil, namespace: '"ns"' }] },
        findings: [finding({ file, kind: 'Pod', name: evil, namespace: '"ns"', message: evil, document: undefined })],
        errors: [{ file: `${file}.broken`, message: evil }],
      }),
    );
    const doc = parse(xml);
    const suite = doc.testsuites.testsuite.find((s: any) => s.name === spelledOut(file));
    expect(suite).toBeDefined();
    expect(suite.testcase).toHaveLength(1);
    const name: string = suite.testcase[0].name;
    // control characters XML 1.0 cannot carry are spelled out; everything else comes back
    expect(name).toContain(' ]]> <!-- --> &amp; \\u0000\\u0007\\ufffe');
    expect(suite.testcase[0].failure).toHaveLength(1);
  });

  test('xmlText and xmlAttr escape markup, keep newlines in attributes, and spell out characters XML 1.0 forbids', () => {
    expect(xmlText('a < b && c > d ]]>')).toBe('a &lt; b &amp;&amp; c &gt; d ]]&gt;');
    expect(xmlText('cr\r\nlf')).toBe('cr&#13;\nlf');
    expect(xmlText('nul\u0000 esc\u001b bom\ufeff')).toBe('nul\\u0000 esc\\u001b bom\ufeff');
    expect(xmlAttr('say "hi"\n\tthere')).toBe('say &quot;hi&quot;&#10;&#9;there');
    expect(xmlAttr('lone \udc00')).toBe('lone \\udc00');
  });
});

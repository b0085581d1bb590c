/* eslint-disable no-control-regex -- these tests are about control characters */
import * as path from 'path';
import { CI_FORMATS, formatReport, isCiFormat } from '../../../src/cli/formats';
import { locateFile } from '../../../src/cli/formats/paths';
import { describeSubject, sortFindings, summaryLine } from '../../../src/cli/formats/report';
import { escapeForTerminal } from '../../../src/cli/formats/terminal';
import { ODD_FILE_NAMES, finding, report } from './sample';

describe('sortFindings', () => {
  test('orders by file, line, column, then rule; missing files, lines and columns last', () => {
    const input = [
      finding({ file: undefined, line: undefined, column: undefined, rule: 'a' }),
      finding({ file: 'b.yaml', line: 1, column: 1, rule: 'a' }),
      finding({ file: 'a.yaml', line: undefined, column: undefined, rule: 'a' }),
      finding({ file: 'a.yaml', line: 10, column: undefined, rule: 'a' }),
      finding({ file: 'a.yaml', line: 10, column: 5, rule: 'z' }),
      finding({ file: 'a.yaml', line: 10, column: 5, rule: 'b' }),
      finding({ file: 'a.yaml', line: 9, column: 80, rule: 'z' }),
      finding({ file: 'a.yaml', line: 10, column: 2, rule: 'z' }),
    ];
    expect(sortFindings(input).map((f) => `${f.file ?? '-'}:${f.line ?? '-'}:${f.column ?? '-'}:${f.rule}`)).toEqual([
      'a.yaml:9:80:z',
      'a.yaml:10:2:z',
      'a.yaml:10:5:b',
      'a.yaml:10:5:z',
      'a.yaml:10:-:a',
      'a.yaml:-:-:a',
      'b.yaml:1:1:a',
      '-:-:-:a',
    ]);
  });

  test('compares lines as numbers, not as text (9 before 10)', () => {
    expect(sortFindings([finding({ line: 10 }), finding({ line: 9 })]).map((f) => f.line)).toEqual([9, 10]);
  });

  test('is stable: findings equal on every key keep their order, and the input is not changed', () => {
    const input = ['first', 'second', 'third'].map((message) => finding({ message }));
    const reversed = [...input].reverse();
    expect(sortFindings(input).map((f) => f.message)).toEqual(['first', 'second', 'third']);
    expect(sortFindings(reversed).map((f) => f.message)).toEqual(['third', 'second', 'first']);
    expect(reversed[0].message).toBe('third');
  });

  test('compares file names by code unit, the same on every machine (uppercase before lowercase)', () => {
    expect(sortFindings([finding({ file: 'b.yaml' }), finding({ file: 'B.yaml' }), finding({ file: 'ä.yaml' })]).map((f) => f.file)).toEqual([
      'B.yaml',
      'b.yaml',
      'ä.yaml',
    ]);
  });
});

describe('summaryLine', () => {
  test('counts errors, warnings, objects and files, what was not judged, and unreadable files', () => {
    expect(
      summaryLine(
        report({
          findings: [finding(), finding({ severity: 'warning' }), finding({ severity: 'warning' })],
          objects: { judged: 1, notJudged: { ConfigMap: 2, 'construct-metadata.json': 1, Service: 0 } },
          files: 1,
          errors: [{ file: 'x.yaml', message: 'bad' }],
        }),
      ),
    ).toBe('1 error, 2 warnings in 1 object (1 file); not judged: 2 ConfigMap, 1 construct-metadata.json; 1 file could not be read');
  });

  test('stays one line whatever the kinds are called', () => {
    expect(summaryLine(report({ objects: { judged: 0, notJudged: { 'Evil\nKind\u001b[2J': 1 } } }))).not.toMatch(/[\n\u001b]/);
  });
});

describe('describeSubject', () => {
  test('names the object, and the construct that made it when known', () => {
    expect(describeSubject({ kind: 'Pod', name: 'p' })).toBe('Pod "p"');
    expect(describeSubject({ kind: 'Job', name: 'j', namespace: 'ns', constructPath: 'app/j/Resource' })).toBe(
      'Job "ns/j" (construct "app/j/Resource")',
    );
  });
});

describe('escapeForTerminal', () => {
  test('leaves ordinary names alone, unicode and backslashes included', () => {
    for (const s of ['dist/prod.k8s.yaml', 'with space.yaml', 'ünïcödé 日本 🚀.yaml', 'C:\\k8s\\x.yaml', 'say "hi"'])
      expect(escapeForTerminal(s)).toBe(s);
  });

  test.each([
    ['a\nb.yaml', '"a\\nb.yaml"'],
    ['a\r\nb', '"a\\r\\nb"'],
    ['red\u001b[31m.yaml', '"red\\u001b[31m.yaml"'],
    ['csi\u009b2J', '"csi\\u009b2J"'],
    ['bell\u0007 del\u007f', '"bell\\u0007 del\\u007f"'],
    ['tab\there', '"tab\\there"'],
    ['rtl\u202eelif.yaml', '"rtl\\u202eelif.yaml"'],
    ['isolate\u2066x\u2069', '"isolate\\u2066x\\u2069"'],
    ['sep\u2028x', '"sep\\u2028x"'],
    ['lone\ud800', '"lone\\ud800"'],
    ['both \\ and "\n', '"both \\\\ and \\"\\n"'],
  ])('quotes and escapes %j', (input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });

  test.each(ODD_FILE_NAMES)('%j prints as one line with no control characters', (name) => {
    const out = escapeForTerminal(name);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    // what needed escaping reads back with JSON.parse (a JSON string literal)
    if (out !== name && !/[\ud800-\udfff]/.test(name)) expect(JSON.parse(out)).toBe(name);
  });
});

describe('locateFile', () => {
  const cwd = path.resolve('/repo');
  test('relative to cwd with / separators, outside cwd absolute, standard input has no path', () => {
    expect(locateFile('a/b c.yaml', cwd)).toEqual({ kind: 'relative', relative: 'a/b c.yaml', uri: 'a/b%20c.yaml' });
    expect(locateFile(path.join(cwd, 'x', 'y.yaml'), cwd)).toMatchObject({ kind: 'relative', relative: 'x/y.yaml' });
    expect(locateFile('../z.yaml', cwd)).toMatchObject({ kind: 'absolute', absolute: path.resolve('/z.yaml') });
    expect(locateFile('..', cwd)).toMatchObject({ kind: 'absolute' });
    expect(locateFile('..z.yaml', cwd)).toMatchObject({ kind: 'relative', relative: '..z.yaml' });
    expect(locateFile('<stdin>', cwd)).toEqual({ kind: 'none' });
    expect(locateFile(undefined, cwd)).toEqual({ kind: 'none' });
  });
});

describe('formatReport', () => {
  test('dispatches every CI format', () => {
    const r = report({ findings: [finding()] });
    expect(CI_FORMATS).toEqual(['sarif', 'github', 'junit']);
    expect(JSON.parse(formatReport(r, 'sarif', { cwd: '/' })).version).toBe('2.1.0');
    expect(formatReport(r, 'github', { cwd: '/' })).toMatch(/^::error /);
    expect(formatReport(r, 'junit')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(formatReport(report({ findings: [finding({ severity: 'warning' })] }), 'junit', { warningsFail: true })).toContain(
      '<failure type="warning"',
    );
    expect(isCiFormat('sarif')).toBe(true);
    expect(isCiFormat('text')).toBe(false);
  });
});

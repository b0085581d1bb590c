import type { Report, ReportFinding, ReportInputError, ReportObject } from './report';
import { describeSubject, sortFindings } from './report';
import { ruleHelpUri } from './sarif';

/** The test suite name for findings about objects that were not read from a file. */
export const NO_FILE_SUITE = '(no file)';

/** The test case name for a file that could not be read or parsed. */
export const INPUT_ERROR_CASE = '(file could not be read)';

/** Options of `formatJunit`. */
export interface JunitOptions {
  /**
   * Also fail a test case on warnings (each becomes a `<failure type="warning">`), to match `--fail-on warning`.
   * Otherwise warnings are listed in the test case's `<system-out>` and the test case passes, as the check does.
   *
   * @default false
   */
  readonly warningsFail?: boolean;
}

/**
 * Characters XML 1.0 does not allow at all, not even as character references (its `Char` production): the C0
 * controls other than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. They are written as the
 * visible text `\uXXXX` instead.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escapes text content: `&`, `<`, `>`, and `\r` (which parsers would turn into `\n`); replaces characters XML forbids. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value (in double quotes): as text, plus `"`, and tab and newline, which parsers would turn into spaces. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrs(values: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return values
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

/** A test case: one object, with its findings. */
interface Case {
  readonly object: ReportObject;
  readonly findings: ReportFinding[];
  readonly inputError?: ReportInputError;
}

function objectKey(o: ReportObject): string {
  return JSON.stringify([o.file ?? null, o.document ?? null, o.item ?? null, o.kind, o.namespace ?? null, o.name]);
}

/** `Deployment prod/web`: the test case name of an object. */
function caseName(o: ReportObject): string {
  return `${o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`;
}

function location(file: string | undefined, line: number | undefined, column: number | undefined): string {
  if (file === undefined) return '';
  return `${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}`;
}

function failure(f: ReportFinding): string {
  const where = location(f.file, f.line, f.column);
  const body = [
    `${describeSubject(f)}: ${f.message}`,
    `rule: ${f.rule} (${ruleHelpUri(f.rule)})`,
    `field: ${f.field}`,
    ...(where !== '' ? [`at: ${where}`] : []),
  ].join('\n');
  return `      <failure${attrs([
    ['type', f.severity],
    ['message', `${f.rule}: ${f.message}`],
  ])}>${xmlText(body)}</failure>\n`;
}

function testcase(c: Case, warningsFail: boolean): string {
  const suite = c.object.file ?? NO_FILE_SUITE;
  const open = `    <testcase${attrs([
    ['classname', suite],
    ['name', c.inputError ? INPUT_ERROR_CASE : caseName(c.object)],
    ['file', c.object.file],
    ['line', c.inputError ? c.inputError.line : c.object.line],
  ])}`;
  const failures = c.findings.filter((f) => f.severity === 'error' || warningsFail);
  const notes = c.findings.filter((f) => !failures.includes(f));
  let body = '';
  if (c.inputError) {
    const e = c.inputError;
    body += `      <error${attrs([
      ['type', 'input'],
      ['message', e.message],
    ])}>${xmlText(`${location(e.file, e.line, e.column)}: ${e.message}`)}</error>\n`;
  }
  body += failures.map(failure).join('');
  if (notes.length > 0) {
    const text = notes.map((f) => `${location(f.file, f.line, f.column) || '-'}: warning ${f.rule}: ${describeSubject(f)}: ${f.message}`).join('\n');
    body += `      <system-out>${xmlText(text)}</system-out>\n`;
  }
  return body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

function counts(cases: readonly Case[], warningsFail: boolean): { tests: number; failures: number; errors: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => !c.inputError && c.findings.some((f) => f.severity === 'error' || warningsFail)).length,
    errors: cases.filter((c) => c.inputError).length,
  };
}

function compareLines(a: Case, b: Case): number {
  const la = a.object.line ?? a.findings[0]?.line;
  const lb = b.object.line ?? b.findings[0]?.line;
  if (la === lb) return 0;
  if (la === undefined) return 1;
  if (lb === undefined) return -1;
  return la - lb;
}

/**
 * Renders a report as JUnit XML (the format GitLab, Jenkins and most CI servers show as test results).
 *
 * One `<testsuite>` per file (named by the file as given, `(no file)` for objects not read from one), one
 * `<testcase>` per judged object (`classname` the file, `name` `Kind namespace/name`): it fails with one
 * `<failure type="error">` per error finding (message `rule: message`; the body adds the construct path, the rule's
 * documentation, the field and the location). Warnings do not fail a test case, as they do not fail the check: they
 * are listed in its `<system-out>`, unless `warningsFail` is set (`--fail-on warning`), which makes each one a
 * `<failure type="warning">`. A file that could not be read is a test case with an `<error type="input">`. The
 * `tests`, `failures` and `errors` counts are counts of test cases. Passing test cases are listed when the report
 * has `objects.list`. Every value is XML-escaped; characters XML 1.0 cannot carry are written as `\uXXXX`.
 */
export function formatJunit(report: Report, options: JunitOptions = {}): string {
  const warningsFail = options.warningsFail ?? false;
  const cases = new Map<string, Case>();
  for (const o of report.objects.list ?? []) {
    if (!cases.has(objectKey(o))) cases.set(objectKey(o), { object: o, findings: [] });
  }
  for (const f of sortFindings(report.findings)) {
    const key = objectKey(f);
    const c = cases.get(key) ?? { object: f, findings: [] };
    c.findings.push(f);
    cases.set(key, c);
  }
  const suites = new Map<string, Case[]>();
  for (const e of report.errors) suites.set(e.file, [{ object: { file: e.file, kind: '', name: '' }, findings: [], inputError: e }]);
  for (const c of cases.values()) {
    const suite = c.object.file ?? NO_FILE_SUITE;
    suites.set(suite, [...(suites.get(suite) ?? []), c]);
  }
  const names = [...suites.keys()].sort((a, b) => (a === NO_FILE_SUITE ? 1 : b === NO_FILE_SUITE ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const all = counts([...suites.values()].flat(), warningsFail);
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n';
  xml += `<testsuites${attrs([
    ['name', report.tool.name],
    ['tests', all.tests],
    ['failures', all.failures],
    ['errors', all.errors],
    ['skipped', 0],
  ])}>\n`;
  for (const name of names) {
    const suiteCases = [...(suites.get(name) ?? [])].sort(compareLines);
    const n = counts(suiteCases, warningsFail);
    xml += `  <testsuite${attrs([
      ['name', name],
      ['tests', n.tests],
      ['failures', n.failures],
      ['errors', n.errors],
      ['skipped', 0],
    ])}>\n`;
    xml += suiteCases.map((c) => testcase(c, warningsFail)).join('');
    xml += '  </testsuite>\n';
  }
  xml += '</testsuites>\n';
  return xml;
}

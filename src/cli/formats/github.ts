import { locateFile } from './paths';
import type { Report, ReportFinding, ReportInputError } from './report';
import { describeSubject, sortFindings, summaryLine } from './report';

/** The `title` of annotations about files that could not be read. */
export const INPUT_ERROR_TITLE = 'cdk8s-safe-pods';

/** Options of `formatGithub`. */
export interface GithubOptions {
  /**
   * The directory file paths are made relative to: GitHub places an annotation on a file by its path from the
   * repository root (`$GITHUB_WORKSPACE`), so run the check from there.
   *
   * @default - process.cwd()
   */
  readonly cwd?: string;
}

// Workflow command escaping, as the Actions toolkit does it (actions/toolkit packages/core/src/command.ts @ a944251,
// `escapeData` and `escapeProperty`; the runner's ActionCommand.cs unescapes the same sequences): in the message
// (data) `%`, `\r` and `\n`; in a property value also `:` and `,`, which would end the value. `%` goes first so the
// escapes themselves are not escaped again.

/** Escapes the message of a workflow command (the text after the second `::`). */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (`file=…`, `title=…`). */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…,title=…::message`, with only the properties that are known. */
function command(level: 'error' | 'warning', properties: ReadonlyArray<readonly [string, string | number | undefined]>, message: string): string {
  const props = properties.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`);
  return `::${level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeGithubData(message)}`;
}

function filePath(file: string | undefined, cwd: string): string | undefined {
  const where = locateFile(file, cwd);
  return where.kind === 'relative' ? where.relative : where.kind === 'absolute' ? where.absolute : undefined;
}

function findingCommand(f: ReportFinding, cwd: string): string {
  const file = filePath(f.file, cwd);
  const line = file !== undefined ? f.line : undefined;
  const col = line !== undefined ? f.column : undefined;
  // standard input has no path: say so in the message, since the annotation cannot point at a file
  const where = f.file !== undefined && file === undefined ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}: ` : '';
  return command(
    f.severity,
    [
      ['file', file],
      ['line', line],
      ['col', col],
      ['title', f.rule],
    ],
    `${where}${describeSubject(f)}: ${f.message}`,
  );
}

function inputErrorCommand(e: ReportInputError, cwd: string): string {
  const file = filePath(e.file, cwd);
  const line = file !== undefined ? e.line : undefined;
  return command(
    'error',
    [
      ['file', file],
      ['line', line],
      ['col', line !== undefined ? e.column : undefined],
      ['title', INPUT_ERROR_TITLE],
    ],
    file === undefined ? `${e.file}: ${e.message}` : e.message,
  );
}

/**
 * Renders a report as GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding (in
 * `sortFindings` order) with the file relative to `cwd`, line, column and the rule id as title; one `::error` per
 * file that could not be read; then a plain summary line. Every line ends with a newline.
 *
 * GitHub shows at most 10 error and 10 warning annotations per step in the summary (all of them stay in the log);
 * upload SARIF to code scanning to see every finding on the files.
 */
export function formatGithub(report: Report, options: GithubOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const lines = [
    ...report.errors.map((e) => inputErrorCommand(e, cwd)),
    ...sortFindings(report.findings).map((f) => findingCommand(f, cwd)),
    `cdk8s-safe-pods: ${summaryLine(report)}`,
  ];
  return lines.map((l) => `${l}\n`).join('');
}

import { escapeForTerminal } from './terminal';

/**
 * The data every output format of `cdk8s-safe-pods check` renders: what was judged, with which rules, and what was
 * found. The formatters (`sarif`, `github`, `junit`) are pure functions of a `Report`; the CLI builds it.
 */

/** How bad a finding is, as the rule catalogue says (`error` fails the check, `warning` is reported). */
export type ReportSeverity = 'error' | 'warning';

/** One finding about one object, located in its file. */
export interface ReportFinding {
  /** The rule id, e.g. `image-not-pinned`. */
  readonly rule: string;
  /** The severity in force for this finding (after any configuration). */
  readonly severity: ReportSeverity;
  /** One sentence: the container (if any), the offending value, the rule and the fix. */
  readonly message: string;
  /**
   * The file as given on the command line (or found in a folder), `<stdin>` for standard input.
   *
   * @default - not known (an object built in memory)
   */
  readonly file?: string;
  /**
   * Line (from 1) of the offending field, or of its nearest parent in the file.
   *
   * @default - not known
   */
  readonly line?: number;
  /**
   * Column (from 1, in UTF-16 code units) of the offending field.
   *
   * @default - not known
   */
  readonly column?: number;
  /**
   * Index (from 0) of the YAML document in the file.
   *
   * @default - not known
   */
  readonly document?: number;
  /**
   * Index (from 0) of the object in a `List`'s `items`.
   *
   * @default - the document is the object itself
   */
  readonly item?: number;
  /** `kind` of the object, e.g. `Deployment`. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set
   */
  readonly namespace?: string;
  /** The field path from the object's root, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /**
   * The container concerned.
   *
   * @default - the finding concerns the pod as a whole
   */
  readonly container?: string;
  /**
   * Construct path when the object was synthesized by cdk8s (from its metadata), e.g. `prod/web/Resource`.
   *
   * @default - not synthesized by cdk8s, or the path is not known
   */
  readonly constructPath?: string;
}

/** A file (or standard input) that could not be read or parsed: nothing in it was judged. */
export interface ReportInputError {
  /** The file as given, `<stdin>` for standard input. */
  readonly file: string;
  /**
   * Line (from 1) of the syntax error.
   *
   * @default - not known (e.g. the file cannot be read at all)
   */
  readonly line?: number;
  /**
   * Column (from 1) of the syntax error.
   *
   * @default - not known
   */
  readonly column?: number;
  /** What is wrong, as one sentence. */
  readonly message: string;
}

/** One rule of the catalogue, as the formats describe it. */
export interface ReportRule {
  /** The rule id, e.g. `image-not-pinned`. */
  readonly id: string;
  /** The rule's own (default) severity. */
  readonly severity: ReportSeverity;
  /** What the rule wants, as a short sentence. */
  readonly title: string;
  /** Why the rule exists. */
  readonly reason: string;
  /** How to fix a finding. */
  readonly fix: string;
}

/** An object that was judged (whether or not anything was found), for formats that list every object (JUnit). */
export interface ReportObject {
  /**
   * The file the object was read from, `<stdin>` for standard input.
   *
   * @default - not known (an object built in memory)
   */
  readonly file?: string;
  /**
   * Line (from 1) of the object in the file.
   *
   * @default - not known
   */
  readonly line?: number;
  /**
   * Index (from 0) of the YAML document in the file.
   *
   * @default - not known
   */
  readonly document?: number;
  /**
   * Index (from 0) of the object in a `List`'s `items`.
   *
   * @default - the document is the object itself
   */
  readonly item?: number;
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set
   */
  readonly namespace?: string;
  /**
   * Construct path when the object was synthesized by cdk8s.
   *
   * @default - not known
   */
  readonly constructPath?: string;
}

/** The name, version and home page of the tool that made a report. */
export interface ReportTool {
  /** `cdk8s-safe-pods`. */
  readonly name: string;
  /** The package version, e.g. `0.1.0`. */
  readonly version: string;
  /** The tool's home page (an absolute URL). */
  readonly informationUri: string;
}

/** Counts of the objects read. */
export interface ReportObjects {
  /** Objects whose pod specs were judged. */
  readonly judged: number;
  /** Objects read but not judged (no pod spec), by kind (or by reason, e.g. `construct-metadata.json`). */
  readonly notJudged: Readonly<Record<string, number>>;
  /**
   * Every judged object, in input order. JUnit lists a passing test case for each one without findings.
   *
   * @default - only objects with findings are listed (JUnit shows no passing test cases)
   */
  readonly list?: readonly ReportObject[];
}

/** Everything one run of `cdk8s-safe-pods check` found, as the output formats render it. */
export interface Report {
  /** The tool that made the report. */
  readonly tool: ReportTool;
  /** The rule catalogue in force (every rule, found or not), in catalogue order. */
  readonly rules: readonly ReportRule[];
  /** The findings, in any order (every format sorts them with `sortFindings`). */
  readonly findings: readonly ReportFinding[];
  /** Files that could not be read or parsed. */
  readonly errors: readonly ReportInputError[];
  /** How many objects were judged, and how many were not. */
  readonly objects: ReportObjects;
  /** How many files (standard input counts as one) were read. */
  readonly files: number;
}

/** Sorts values that may be absent: present ones first, in ascending order. */
function compareOptional<T extends string | number>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * The findings in the order every format prints them: by file, line, column, then rule id. Files and rule ids are
 * compared by UTF-16 code units (not by locale), so the order is the same on every machine. Findings without a file,
 * line or column come after those with one at the same level. The sort is stable: findings equal on all four keys
 * keep their input order (the judge's order: object, then rule). Returns a new array.
 */
export function sortFindings<T extends ReportFinding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      compareOptional(a.file, b.file) || compareOptional(a.line, b.line) || compareOptional(a.column, b.column) || compareOptional(a.rule, b.rule),
  );
}

/** `Deployment "prod/web"`: the kind and the (namespaced) name of an object, for messages. */
export function describeObject(o: Pick<ReportObject, 'kind' | 'name' | 'namespace'>): string {
  return `${o.kind} ${JSON.stringify(o.namespace !== undefined ? `${o.namespace}/${o.name}` : o.name)}`;
}

/**
 * `Deployment "prod/web" (construct "prod/web/Resource")`: the object, and the construct that made it when known,
 * so a reviewer can go from the YAML to the TypeScript.
 */
export function describeSubject(f: Pick<ReportFinding, 'kind' | 'name' | 'namespace' | 'constructPath'>): string {
  const object = describeObject(f);
  return f.constructPath !== undefined ? `${object} (construct ${JSON.stringify(f.constructPath)})` : object;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The one-line summary of a report, e.g. `2 errors, 1 warning in 5 objects (3 files); not judged: 2 ConfigMap;
 * 1 file could not be read`. Kinds are escaped with `escapeForTerminal`, so the line stays one line.
 */
export function summaryLine(report: Report): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  let line = `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(report.objects.judged, 'object')} (${plural(report.files, 'file')})`;
  const notJudged = Object.entries(report.objects.notJudged).filter(([, n]) => n > 0);
  if (notJudged.length > 0) line += `; not judged: ${notJudged.map(([what, n]) => `${n} ${escapeForTerminal(what)}`).join(', ')}`;
  if (report.errors.length > 0) line += `; ${plural(report.errors.length, 'file')} could not be read`;
  return line;
}

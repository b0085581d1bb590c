/**
 * Output formats of `cdk8s-safe-pods check` for CI: SARIF (code scanning), GitHub workflow commands (annotations)
 * and JUnit XML (test reports). Each is a pure function of a `Report`; `text` and `json` live with the CLI.
 */
import { formatGithub } from './github';
import { formatJunit } from './junit';
import type { Report } from './report';
import { formatSarif } from './sarif';

export type { GithubOptions } from './github';
export { escapeGithubData, escapeGithubProperty, formatGithub, INPUT_ERROR_TITLE } from './github';
export type { JunitOptions } from './junit';
export { formatJunit, INPUT_ERROR_CASE, NO_FILE_SUITE, xmlAttr, xmlText } from './junit';
export type { FileLocation } from './paths';
export { locateFile, STDIN_FILE_NAME } from './paths';
export type { Report, ReportFinding, ReportInputError, ReportObject, ReportObjects, ReportRule, ReportSeverity, ReportTool } from './report';
export { describeObject, describeSubject, sortFindings, summaryLine } from './report';
export type { SarifLocation, SarifLog, SarifMessage, SarifOptions, SarifResult, SarifRule } from './sarif';
export { FINGERPRINT_KEY, formatSarif, RULE_DOCS_URL, ruleHelpUri, SARIF_SCHEMA_URI, SRCROOT, toSarif } from './sarif';
export { escapeForTerminal } from './terminal';

/** The formats this module renders (the CLI adds `text` and `json`). */
export const CI_FORMATS = ['sarif', 'github', 'junit'] as const;

/** One of `CI_FORMATS`. */
export type CiFormat = (typeof CI_FORMATS)[number];

/** Options of `formatReport`: the union of every format's options. */
export interface FormatOptions {
  /**
   * The directory file paths are made relative to (SARIF URIs, GitHub annotation paths).
   *
   * @default - process.cwd()
   */
  readonly cwd?: string;
  /**
   * Warnings fail (as `--fail-on warning`): JUnit writes them as failures.
   *
   * @default false
   */
  readonly warningsFail?: boolean;
}

/** Whether `x` names one of `CI_FORMATS`. */
export function isCiFormat(x: string): x is CiFormat {
  return (CI_FORMATS as readonly string[]).includes(x);
}

/** Renders a report in one of the CI formats, as the text to print (complete lines). */
export function formatReport(report: Report, format: CiFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'sarif':
      return formatSarif(report, { cwd: options.cwd });
    case 'github':
      return formatGithub(report, { cwd: options.cwd });
    case 'junit':
      return formatJunit(report, { warningsFail: options.warningsFail });
  }
}

import { createHash } from 'crypto';
import { pathToFileURL } from 'url';
import { locateFile } from './paths';
import type { Report, ReportFinding, ReportInputError, ReportRule } from './report';
import { describeSubject, sortFindings } from './report';

/**
 * The rule catalogue document; each rule has a section whose anchor is the rule id
 * (a heading `### image-not-pinned` in `docs/rules.md`).
 */
export const RULE_DOCS_URL = 'https://github.com/cdk8s-safe-pods/cdk8s-safe-pods/blob/main/docs/rules.md';

/** The SARIF 2.1.0 schema (OASIS errata 01), written as `$schema` of every log. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The `uriBaseId` of every relative artifact location: the working directory, normally the repository root. */
export const SRCROOT = '%SRCROOT%';

/** The key of the one partial fingerprint every result carries (versioned: a new scheme gets a new key). */
export const FINGERPRINT_KEY = 'cdk8sSafePods/v1';

/** The link to the documentation of a rule. */
export function ruleHelpUri(ruleId: string): string {
  return `${RULE_DOCS_URL}#${encodeURIComponent(ruleId)}`;
}

/** Options of `toSarif`. */
export interface SarifOptions {
  /**
   * The directory artifact URIs are relative to (`%SRCROOT%`); run the check from the repository root so code
   * scanning finds the files.
   *
   * @default - process.cwd()
   */
  readonly cwd?: string;
}

/** A SARIF `message` object. */
export interface SarifMessage {
  /** Plain text. */
  readonly text: string;
  /**
   * The same in GitHub-flavoured Markdown.
   *
   * @default - none
   */
  readonly markdown?: string;
}

/** A SARIF `location` object. */
export interface SarifLocation {
  /**
   * The file and region.
   *
   * @default - none (standard input, or an object not read from a file)
   */
  readonly physicalLocation?: {
    /** The file: a URI reference relative to `uriBaseId`, or an absolute `file://` URI. */
    readonly artifactLocation: {
      /** The URI (percent-encoded). */
      readonly uri: string;
      /**
       * `%SRCROOT%` when `uri` is relative.
       *
       * @default - `uri` is absolute
       */
      readonly uriBaseId?: string;
    };
    /**
     * Line and column (from 1).
     *
     * @default - the whole file
     */
    readonly region?: {
      /** Line, from 1. */
      readonly startLine: number;
      /**
       * Column, from 1 (UTF-16 code units: `run.columnKind`).
       *
       * @default - the whole line
       */
      readonly startColumn?: number;
    };
  };
  /**
   * The Kubernetes object, and the cdk8s construct that made it.
   *
   * @default - none
   */
  readonly logicalLocations?: ReadonlyArray<{
    /** The last segment (the object's name, or the construct id). */
    readonly name: string;
    /** `Deployment/prod/web`, or the construct path. */
    readonly fullyQualifiedName: string;
    /** `resource` (the Kubernetes object) or `construct`. */
    readonly kind: string;
  }>;
}

/** A SARIF `reportingDescriptor` (a rule). */
export interface SarifRule {
  /** The rule id. */
  readonly id: string;
  /** The rule id in PascalCase. */
  readonly name: string;
  /** The rule's title. */
  readonly shortDescription: SarifMessage;
  /** Why the rule exists. */
  readonly fullDescription: SarifMessage;
  /** How to fix a finding. */
  readonly help: SarifMessage;
  /** The rule's section of the rule catalogue. */
  readonly helpUri: string;
  /** The rule's own severity. */
  readonly defaultConfiguration: {
    /** `error` or `warning`. */
    readonly level: 'error' | 'warning';
  };
}

/** A SARIF `result` (a finding). */
export interface SarifResult {
  /** The rule id. */
  readonly ruleId: string;
  /**
   * Index of the rule in `tool.driver.rules`.
   *
   * @default - the rule is not in the catalogue of the report
   */
  readonly ruleIndex?: number;
  /** `error` or `warning`. */
  readonly level: 'error' | 'warning';
  /** The object, its construct and the finding's message. */
  readonly message: SarifMessage;
  /** One location: the file and line, the object and the construct. */
  readonly locations: readonly SarifLocation[];
  /** A fingerprint that stays the same across runs while the finding does (not the line). */
  readonly partialFingerprints: Readonly<Record<string, string>>;
  /** The finding's object, field, container and construct path, for machines. */
  readonly properties: Readonly<Record<string, string | number>>;
}

/** A SARIF 2.1.0 log with one run (the parts this tool writes). */
export interface SarifLog {
  /** The schema URI. */
  readonly $schema: string;
  /** `2.1.0`. */
  readonly version: '2.1.0';
  /** One run. */
  readonly runs: ReadonlyArray<{
    /** The tool and its rules. */
    readonly tool: {
      /** The tool. */
      readonly driver: {
        /** `cdk8s-safe-pods`. */
        readonly name: string;
        /** The package version. */
        readonly version: string;
        /** The same as a semantic version. */
        readonly semanticVersion: string;
        /** The tool's home page. */
        readonly informationUri: string;
        /** The rule catalogue. */
        readonly rules: readonly SarifRule[];
      };
    };
    /** Whether the run read every input, and what it could not read. */
    readonly invocations: ReadonlyArray<{
      /** False when an input could not be read or parsed. */
      readonly executionSuccessful: boolean;
      /** One notification (level error) per input that could not be read or parsed. */
      readonly toolExecutionNotifications: ReadonlyArray<{
        /** `error`. */
        readonly level: 'error';
        /** What is wrong. */
        readonly message: SarifMessage;
        /** Where. */
        readonly locations: readonly SarifLocation[];
      }>;
    }>;
    /** `%SRCROOT%`: the working directory as a `file://` URI. */
    readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string }>>;
    /** Columns count UTF-16 code units. */
    readonly columnKind: 'utf16CodeUnits';
    /** The findings, sorted. */
    readonly results: readonly SarifResult[];
    /** The counts of files and objects read. */
    readonly properties: Readonly<Record<string, unknown>>;
  }>;
}

/** `image-not-pinned` → `ImageNotPinned`: the SARIF `name` of a rule. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

function sarifRule(rule: ReportRule): SarifRule {
  const helpUri = ruleHelpUri(rule.id);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.reason },
    help: { text: rule.fix, markdown: `${rule.fix}\n\n[${rule.id} in the rule catalogue](${helpUri})` },
    helpUri,
    defaultConfiguration: { level: rule.severity },
  };
}

function physicalLocation(
  file: string | undefined,
  line: number | undefined,
  column: number | undefined,
  cwd: string,
): SarifLocation['physicalLocation'] | undefined {
  const where = locateFile(file, cwd);
  if (where.kind === 'none') return undefined;
  const artifactLocation = where.kind === 'relative' ? { uri: where.uri, uriBaseId: SRCROOT } : { uri: where.uri };
  if (line === undefined) return { artifactLocation };
  return { artifactLocation, region: { startLine: line, ...(column !== undefined ? { startColumn: column } : {}) } };
}

function objectName(f: ReportFinding): string {
  return [f.kind, ...(f.namespace !== undefined ? [f.namespace] : []), f.name].join('/');
}

function findingLocation(f: ReportFinding, cwd: string): SarifLocation {
  const physical = physicalLocation(f.file, f.line, f.column, cwd);
  const logical = [{ name: f.name, fullyQualifiedName: objectName(f), kind: 'resource' }];
  if (f.constructPath !== undefined) {
    logical.push({ name: f.constructPath.split('/').pop() ?? f.constructPath, fullyQualifiedName: f.constructPath, kind: 'construct' });
  }
  return { ...(physical ? { physicalLocation: physical } : {}), logicalLocations: logical };
}

function errorLocation(e: ReportInputError, cwd: string): SarifLocation[] {
  const physical = physicalLocation(e.file, e.line, e.column, cwd);
  return physical ? [{ physicalLocation: physical }] : [];
}

/**
 * A fingerprint of what a finding is about, not where the line happens to be: the rule, the file, the object and
 * the field (plus an occurrence number when several findings share all four), so code scanning keeps tracking an
 * alert when lines above it move, and closes it when it is fixed.
 */
function fingerprint(f: ReportFinding, uri: string, occurrence: number): string {
  const key = [f.rule, uri, objectName(f), f.field].join('\u0000');
  return `${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}:${occurrence}`;
}

/** The `file://` URI of a directory, with the trailing slash SARIF wants for a base. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Renders a report as a SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.
 *
 * One run: `tool.driver` carries every rule of the report (id, PascalCase name, title, reason, fix, a link to the
 * rule's section of `docs/rules.md`, default level); each finding is a result with its rule id and index, level,
 * message (the object, its construct path when known, and the finding), the file as a URI relative to `cwd`
 * (`uriBaseId` `%SRCROOT%`) with line and column, the object and construct as logical locations, and a partial
 * fingerprint that does not depend on the line. Findings are in `sortFindings` order. Files that could not be read
 * are tool execution notifications, and make `executionSuccessful` false. Findings from standard input, which has
 * no path, carry only logical locations.
 */
export function toSarif(report: Report, options: SarifOptions = {}): SarifLog {
  const cwd = options.cwd ?? process.cwd();
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = sortFindings(report.findings).map((f): SarifResult => {
    const location = findingLocation(f, cwd);
    const uri = location.physicalLocation?.artifactLocation.uri ?? f.file ?? '';
    const base = fingerprint(f, uri, 0);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    const index = ruleIndex.get(f.rule);
    return {
      ruleId: f.rule,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: f.severity,
      message: { text: `${describeSubject(f)}: ${f.message}` },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, uri, occurrence) },
      properties: {
        kind: f.kind,
        name: f.name,
        ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
        field: f.field,
        ...(f.container !== undefined ? { container: f.container } : {}),
        ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
        ...(f.document !== undefined ? { document: f.document } : {}),
        ...(f.item !== undefined ? { item: f.item } : {}),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: report.rules.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error' as const,
              message: { text: `${e.file}: ${e.message}` },
              locations: errorLocation(e, cwd),
            })),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
        properties: { files: report.files, objects: { judged: report.objects.judged, notJudged: report.objects.notJudged } },
      },
    ],
  };
}

/** `toSarif` as the text `--format sarif` prints: indented JSON and a final newline. */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(report, options), null, 2)}\n`;
}

import { isAbsolute, join } from 'path';
import { DEFAULTS } from '../defaults';
import { READ_LIMITS } from '../defaults/limits';
import { findManifestFiles, readManifestFile, SeenPaths } from '../io/files';
import { formatInputError, HEAP_MESSAGE, heapExhausted, printableFileName, readManifestBytes, tooLarge } from '../io/manifests';
import type { InputError, ReadOptions } from '../io/manifests';
import { validateDns1123Subdomain } from '../k8s/names';
import { KubernetesVersion } from '../k8s/version';
import { RULE_CATALOGUE, RULES } from '../rules/catalogue';
import { checkObjects } from '../rules/check';
import { formatFinding } from '../rules/format';
import { SUPPRESSION_RULES } from '../rules/suppressions';
import type { LocatedObject } from '../k8s/shapes';
import type { ObjectFinding } from '../rules/check';
import type { Rule, RuleInfo, RuleSetting } from '../rules/types';
import { Severity } from '../rules/types';
import { parseCommandLine, UsageError } from './args';
import { runExplain } from './explain';
import { runExport } from './export';
import type { CiFormat, Report, ReportFinding } from './formats';
import { CI_FORMATS, escapeForTerminal, formatReport, isCiFormat, sortFindings } from './formats';
import type { SafePodsConfig } from '../config/config';
import { ConfigError, ruleSettingsOf } from '../config/config';
import { EMPTY_CONFIG, loadConfig } from '../config/load';
import { readConstructMetadata } from './construct-metadata';
import { packageVersion } from './version';

/**
 * Exit codes of the `cdk8s-safe-pods` command. When several apply, the highest wins: input errors (3) outrank
 * findings (1) because the check was incomplete; both are always printed.
 */
export enum ExitCode {
  /** Every input was read and no errors were found (warnings may have been). */
  OK = 0,
  /** At least one error was found, and every input was read. */
  FINDINGS = 1,
  /** Bad usage (unknown option, bad value, missing path): nothing was checked. */
  USAGE = 2,
  /** An input could not be read, decoded or parsed, was too large, or there was no Kubernetes object at all. */
  INPUT = 3,
  /** A bug in cdk8s-safe-pods (printed as one line; set CDK8S_SAFE_PODS_DEBUG=1 for the stack). */
  INTERNAL = 4,
}

/** Where `runCli` reads and writes; injectable for tests. */
export interface CliIo {
  /** Writes to standard output (the text is complete lines, with newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (the text is complete lines, with newlines). */
  readonly stderr: (text: string) => void;
  /**
   * Reads standard input (used for the path `-`) to its end, or stops once it has more than `maxBytes` bytes (the
   * command then reports it as too large).
   *
   * @default - standard input cannot be read: `-` is a usage error
   */
  readonly stdin?: (maxBytes: number) => Promise<string | Uint8Array>;
  /**
   * The working directory: where the configuration file is searched from, and what SARIF and GitHub paths are
   * relative to.
   *
   * @default - process.cwd()
   */
  readonly cwd?: string;
}

/** The name `<stdin>` findings carry for the path `-`. */
export const STDIN_FILE = '<stdin>';

/** The Kubernetes versions the checks know (`--kubernetes-version`). */
const SUPPORTED_VERSIONS = { min: KubernetesVersion.V1_27, max: KubernetesVersion.of('1.35') };

const USAGE = `Usage:
  cdk8s-safe-pods check [options] <paths...>   check the pod specs in manifest files
  cdk8s-safe-pods rules [--format text|json]   list the rule catalogue
  cdk8s-safe-pods explain [options] <paths...> show each container as the kubelet builds it, and the start/stop timeline (explain --help)
  cdk8s-safe-pods export admission-policies [--kubernetes-version X.Y] [--audit] [--require-digest] [--config PATH | --no-config]
                                               write the rules as ValidatingAdmissionPolicies (YAML)
  cdk8s-safe-pods --help | --version

Paths are files or folders (searched recursively for *.yaml, *.yml and *.json, following symbolic links; hidden
entries, node_modules and cdk8s's construct-metadata.json are skipped); "-" reads standard input. A file reached
twice is read once. Files are read as kubectl reads them: UTF-8 (or UTF-16 with a byte order mark), YAML 1.1
scalars (yes/no/on/off are booleans, 0755 is octal; see docs/yaml.md).
Every Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate is
checked; Services and RuntimeClasses in the same files are known to the checks.

Options of check:
  --format FORMAT               text (default), json, sarif (code scanning), github (workflow annotations), junit
  --fail-on error|warning       the lowest severity that fails the check, exit 1 (default: the config's, else error)
  --config PATH                 the configuration file (default: the nearest safe-pods.config.json up to the
                                repository root); flags win over it
  --no-config                   read no configuration file
  --kubernetes-version X.Y      the Kubernetes version the manifests are for, ${SUPPORTED_VERSIONS.min}-${SUPPORTED_VERSIONS.max} (default: the config's, else ${DEFAULTS.kubernetesVersion})
  --runtime-class NAME          a RuntimeClass that exists in the cluster; repeatable
                                (a pod referencing a RuntimeClass neither in the files nor named here is an error)
  --require-digest              require every image to be pinned by digest
  --allow-empty                 no Kubernetes object at all is not an error
  --max-file-size SIZE          largest file or standard input read, in bytes or with KiB/MiB/GiB
                                (default: ${READ_LIMITS.maxFileBytes / 2 ** 20}MiB)
  --max-depth N                 deepest nesting of collections in a document (default: ${READ_LIMITS.maxDepth})
  -h, --help                    show this help

Exit codes (the highest that applies):
  0  every input was read; no errors found (warnings allowed)
  1  errors found
  2  bad usage: nothing was checked
  3  input errors: a path could not be read, decoded or parsed, was too large, or held no Kubernetes object;
     the other files are still checked and their findings printed
  4  internal error (a bug; set CDK8S_SAFE_PODS_DEBUG=1 for details)
`;

/** An output format of `check`. */
type CheckFormat = 'text' | 'json' | CiFormat;

/** The options of `check`; the setting flags win over the configuration file (`undefined`: not given). */
interface CheckArgs extends SettingFlags {
  readonly format: CheckFormat;
  readonly allowEmpty: boolean;
  readonly maxFileBytes: number;
  readonly maxDepth: number;
  readonly paths: readonly string[];
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  ki: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mi: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gi: 2 ** 30,
  gib: 2 ** 30,
};

function parseSize(value: string | undefined): number {
  if (value === undefined) return READ_LIMITS.maxFileBytes;
  const m = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  // a JavaScript string holds at most 2^29 - 24 characters: larger input cannot be read at all
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > 2 ** 29 - 24) {
    throw new UsageError(`--max-file-size ${JSON.stringify(value)} is not a size from 1 byte to 511MiB, e.g. "64MiB" or "1048576"`);
  }
  return bytes;
}

function parseDepth(value: string | undefined): number {
  if (value === undefined) return READ_LIMITS.maxDepth;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new UsageError(`--max-depth ${JSON.stringify(value)} is not a number from 1 to 1000`);
  return n;
}

/** The value of `--kubernetes-version`, within the versions the checks know. */
export function parseKubernetesVersion(value: string): KubernetesVersion {
  let version: KubernetesVersion;
  try {
    version = KubernetesVersion.of(value);
  } catch (e) {
    throw new UsageError(`--kubernetes-version: ${(e as Error).message}; use ${SUPPORTED_VERSIONS.min} to ${SUPPORTED_VERSIONS.max}`);
  }
  if (!version.isAtLeast(SUPPORTED_VERSIONS.min) || !SUPPORTED_VERSIONS.max.isAtLeast(version)) {
    throw new UsageError(
      `--kubernetes-version ${JSON.stringify(value)} is not supported; use ${SUPPORTED_VERSIONS.min} to ${SUPPORTED_VERSIONS.max}`,
    );
  }
  return version;
}

/** The values of `--runtime-class`: RuntimeClass names. */
export function parseRuntimeClasses(values: readonly string[]): readonly string[] {
  for (const name of values) {
    const problems = validateDns1123Subdomain(name);
    if (problems.length > 0) throw new UsageError(`--runtime-class ${JSON.stringify(name)} is not a RuntimeClass name: ${problems.join('; ')}`);
  }
  return values;
}

const FORMATS: readonly CheckFormat[] = ['text', 'json', ...CI_FORMATS];

function parseFormat(value: string | undefined): CheckFormat {
  if (value === undefined) return 'text';
  if (value === 'text' || value === 'json' || isCiFormat(value)) return value;
  throw new UsageError(`--format ${JSON.stringify(value)} is not supported; use ${FORMATS.map((f) => JSON.stringify(f)).join(', ')}`);
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (value === 'error') return Severity.ERROR;
  if (value === 'warning') return Severity.WARNING;
  throw new UsageError(`--fail-on ${JSON.stringify(value)} is not supported; use "error" (the default) or "warning"`);
}

function parse(argv: readonly string[]): {
  command: string | undefined;
  help: boolean;
  version: boolean;
  words: readonly string[];
  check: CheckArgs;
} {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string' },
    'kubernetes-version': { type: 'string' },
    'runtime-class': { type: 'string', multiple: true },
    'require-digest': { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
    'max-file-size': { type: 'string' },
    'max-depth': { type: 'string' },
    'fail-on': { type: 'string' },
    config: { type: 'string' },
    'no-config': { type: 'boolean' },
    version: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  const [command, ...paths] = positionals;
  const help = values.help === true;
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('--config and --no-config exclude each other');
  const version = values['kubernetes-version'];
  const runtimeClasses = values['runtime-class'];
  const failOn = parseFailOn(values['fail-on']);
  return {
    command,
    help,
    version: values.version === true,
    words: paths,
    check: {
      format: parseFormat(values.format),
      ...(version !== undefined && !help ? { kubernetesVersion: parseKubernetesVersion(version) } : {}),
      ...(runtimeClasses !== undefined && !help ? { runtimeClasses: parseRuntimeClasses(runtimeClasses) } : {}),
      requireDigest: values['require-digest'] === true,
      ...(failOn !== undefined ? { failOn } : {}),
      ...(values.config !== undefined ? { config: values.config } : {}),
      noConfig: values['no-config'] === true,
      allowEmpty: values['allow-empty'] === true,
      maxFileBytes: help ? READ_LIMITS.maxFileBytes : parseSize(values['max-file-size']),
      maxDepth: help ? READ_LIMITS.maxDepth : parseDepth(values['max-depth']),
      paths,
    },
  };
}

function locationOf(f: ReportFinding): string {
  if (f.file === undefined) return '-';
  const file = printableFileName(f.file);
  if (f.line === undefined) return file;
  return `${file}:${f.line}${f.column !== undefined ? `:${f.column}` : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The JSON form of one finding, as `--format json` prints it. */
export interface JsonFinding {
  /** The rule id, e.g. `image-not-pinned`. */
  readonly rule: string;
  /** `error` or `warning`. */
  readonly severity: Severity;
  /** One sentence: the container (if any), the offending value, the rule and the fix. */
  readonly message: string;
  /** The file as given (or found in a folder), `<stdin>` for standard input. */
  readonly file: string | null;
  /** Line (from 1) of the offending field, or of its nearest parent in the file. */
  readonly line: number | null;
  /** Column (from 1) of the offending field, `null` when not known. */
  readonly column: number | null;
  /** Index (from 0) of the YAML document in the file. */
  readonly document: number | null;
  /** Index (from 0) of the object in a `List`'s `items`, `null` when the document is the object. */
  readonly item: number | null;
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` of the object. */
  readonly name: string;
  /** `metadata.namespace` of the object, `null` when not set. */
  readonly namespace: string | null;
  /** The field path from the object's root, e.g. `spec.template.spec.containers[0].image`. */
  readonly path: string;
  /** The container concerned, `null` when the finding concerns the pod as a whole. */
  readonly container: string | null;
  /** The construct path of the object when cdk8s synthesized it (from its `construct-metadata.json`), else `null`. */
  readonly constructPath: string | null;
}

function toJsonFinding(f: ReportFinding): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity as Severity,
    message: f.message,
    file: f.file ?? null,
    line: f.line ?? null,
    column: f.column ?? null,
    document: f.document ?? null,
    item: f.item ?? null,
    kind: f.kind,
    name: f.name,
    namespace: f.namespace ?? null,
    path: f.field,
    container: f.container ?? null,
    constructPath: f.constructPath ?? null,
  };
}

/** A judge's finding in the report's terms, with the construct path of its object when cdk8s recorded one. */
function toReportFinding(f: ObjectFinding, constructPath: string | undefined): ReportFinding {
  const s = f.source;
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    ...(s !== undefined ? { file: s.file } : {}),
    ...(s?.line !== undefined ? { line: s.line } : {}),
    ...(s?.column !== undefined ? { column: s.column } : {}),
    ...(s?.document !== undefined ? { document: s.document } : {}),
    ...(s?.item !== undefined ? { item: s.item } : {}),
    kind: f.kind,
    name: f.name,
    ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
    field: f.field,
    ...(f.container !== undefined ? { container: f.container } : {}),
    ...(constructPath !== undefined ? { constructPath } : {}),
  };
}

/** The settings of a check: flags, then the configuration file, then `DEFAULTS`. */
export interface CheckSettings {
  readonly kubernetesVersion: KubernetesVersion;
  readonly requireDigest: boolean;
  readonly runtimeClasses: readonly string[];
  readonly ruleSettings: ReadonlyMap<string, RuleSetting>;
  readonly failOn: Severity;
}

/** What a command takes from the command line that the configuration file can also set. */
export interface SettingFlags {
  readonly kubernetesVersion?: KubernetesVersion;
  readonly runtimeClasses?: readonly string[];
  readonly requireDigest: boolean;
  readonly failOn?: Severity;
  readonly config?: string;
  readonly noConfig: boolean;
}

/** The settings of a command: its flags, then the repository's configuration file (from `cwd`), then `DEFAULTS`. */
export function settingsOf(args: SettingFlags, cwd: string): CheckSettings {
  let config: SafePodsConfig = EMPTY_CONFIG;
  if (!args.noConfig) {
    try {
      config = loadConfig({ cwd, ...(args.config !== undefined ? { path: args.config } : {}), knownRuleIds: RULE_CATALOGUE.map((r) => r.id) });
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  }
  return {
    kubernetesVersion: args.kubernetesVersion ?? config.kubernetesVersion ?? DEFAULTS.kubernetesVersion,
    requireDigest: args.requireDigest || (config.requireDigest ?? DEFAULTS.requireDigest),
    runtimeClasses: args.runtimeClasses ?? config.runtimeClasses ?? [],
    ruleSettings: ruleSettingsOf(config),
    failOn: args.failOn ?? (config.failOn === 'warning' ? Severity.WARNING : Severity.ERROR),
  };
}

/** What the inputs gave. */
/** What `loadInputs` reads: the paths, and the limits of `check`. */
export interface LoadOptions {
  /** Files, folders, or `-` for standard input. */
  readonly paths: readonly string[];
  /** Whether inputs without a single Kubernetes object are accepted. */
  readonly allowEmpty: boolean;
  /** The largest file (and standard input) read, in bytes. */
  readonly maxFileBytes: number;
  /** The deepest nesting of a document read. */
  readonly maxDepth: number;
}

/** What `loadInputs` read: the objects with their locations, the number of files, the input errors, the files skipped. */
export interface Loaded {
  /** The objects read. */
  readonly objects: LocatedObject[];
  /** How many files (standard input counts as one) were read. */
  readonly files: number;
  /** Every input error: the file, line, column and message. */
  readonly errors: InputError[];
  /** cdk8s's `construct-metadata.json` files found in folders and not read as manifests. */
  readonly skipped: string[];
}

/** Whether `x` is a Kubernetes object (a map with a string `apiVersion` and `kind`). */
function isKubernetesObject(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const o = x as { apiVersion?: unknown; kind?: unknown };
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string';
}

/**
 * Reads every input: each file once, every file even when others fail. Problems are collected as input errors; an
 * input with no Kubernetes object at all is one too, unless `--allow-empty`.
 */
/**
 * Reads every input of a command (`check`, `explain`): files, folders (followed symlinks, once each), standard input,
 * within the limits; never throws on bad input, reporting each problem as that file's input error.
 */
export async function loadInputs(args: LoadOptions, io: CliIo): Promise<Loaded> {
  const limits = (): ReadOptions => ({ maxFileBytes: args.maxFileBytes, maxDepth: args.maxDepth, objectsBefore: objects.length });
  const objects: LocatedObject[] = [];
  const errors: InputError[] = [];
  const skipped: string[] = [];
  let files = 0;
  let stdinRead = false;
  let stopped = false;
  const seen = new SeenPaths();
  const add = (read: { objects: LocatedObject[]; errors: InputError[] }): void => {
    files++;
    for (const o of read.objects) objects.push(o); // not push(...): a file may hold a million objects
    for (const e of read.errors) errors.push(e);
    if (read.errors.some((e) => e.message === HEAP_MESSAGE)) stopped = true;
  };
  for (const p of args.paths) {
    if (stopped) break;
    if (p === '-') {
      if (!io.stdin) throw new UsageError('"-" (standard input) is not available here');
      if (stdinRead) continue;
      stdinRead = true;
      let input: string | Uint8Array;
      try {
        input = await io.stdin(args.maxFileBytes);
      } catch (e) {
        errors.push({ file: STDIN_FILE, message: `cannot read: ${(e as Error).message}` });
        continue;
      }
      const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
      if (bytes.length > args.maxFileBytes) errors.push({ file: STDIN_FILE, message: tooLarge(undefined, args.maxFileBytes) });
      else add(readManifestBytes(bytes, STDIN_FILE, limits()));
      continue;
    }
    // a relative path is relative to the command's working directory
    const found = await findManifestFiles([io.cwd !== undefined && !isAbsolute(p) ? join(io.cwd, p) : p], seen);
    for (const e of found.errors) errors.push(e);
    skipped.push(...found.skipped);
    for (const file of found.files) {
      if (heapExhausted(READ_LIMITS.maxHeapFraction, objects.length * READ_LIMITS.heapReservePerObject)) {
        errors.push({ file, message: HEAP_MESSAGE });
        stopped = true;
        break;
      }
      add(await readManifestFile(file, limits()));
    }
  }
  if (!args.allowEmpty && errors.length === 0 && !objects.some((o) => isKubernetesObject(o.object))) {
    const what = args.paths.length === 1 ? (args.paths[0] === '-' ? STDIN_FILE : args.paths[0]) : '<input>';
    errors.push({
      file: what,
      message: `no Kubernetes objects (read ${plural(files, 'file')}): an empty render, or the wrong path? Pass --allow-empty if this is expected`,
    });
  }
  return { objects, files, errors, skipped };
}

/** The JSON form of an input error, as `--format json` prints it in `errors`. */
export interface JsonInputError {
  /** The file as given (or found in a folder), `<stdin>` for standard input. */
  readonly file: string;
  /** Line (from 1), `null` when the error concerns the whole file. */
  readonly line: number | null;
  /** Column (from 1), `null` when not known. */
  readonly column: number | null;
  /** What is wrong. */
  readonly message: string;
}

function toJsonInputError(e: InputError): JsonInputError {
  return { file: e.file, line: e.line ?? null, column: e.column ?? null, message: e.message };
}

/** A field of `writeJsonObject`: a key, its value, and for a list, how to turn each item into JSON. */
type JsonField = readonly [key: string, value: unknown, toJson?: (item: never) => unknown];

/**
 * Writes a JSON object one list item at a time, byte for byte what `JSON.stringify(x, null, 2)` writes, so that a
 * million findings never become one string longer than V8 allows (nor one array of their JSON forms).
 */
function writeJsonObject(io: CliIo, fields: readonly JsonField[]): void {
  io.stdout('{');
  fields.forEach(([key, value, toJson], i) => {
    io.stdout(`${i > 0 ? ',' : ''}\n  ${JSON.stringify(key)}: `);
    if (Array.isArray(value) && value.length > 0) {
      io.stdout('[');
      value.forEach((item, k) => {
        const json: unknown = toJson ? toJson(item as never) : item;
        io.stdout(`${k > 0 ? ',' : ''}\n    ${JSON.stringify(json, null, 2).replace(/\n/g, '\n    ')}`);
      });
      io.stdout('\n  ]');
    } else {
      io.stdout(JSON.stringify(value, null, 2).replace(/\n/g, '\n  '));
    }
  });
  io.stdout('\n}\n');
}

async function check(args: CheckArgs, io: CliIo, rules: readonly Rule[]): Promise<ExitCode> {
  if (args.paths.length === 0) throw new UsageError('check needs at least one path (a file, a folder, or "-" for standard input)');
  const cwd = io.cwd ?? process.cwd();
  const settings = settingsOf(args, cwd);
  const { objects, files, errors, skipped } = await loadInputs(args, io);
  const result = checkObjects(
    objects,
    {
      kubernetesVersion: settings.kubernetesVersion,
      requireDigest: settings.requireDigest,
      runtimeClasses: settings.runtimeClasses,
      ...(settings.ruleSettings.size > 0 ? { ruleSettings: settings.ruleSettings } : {}),
    },
    rules,
  );
  // cdk8s records each object's construct path in the construct-metadata.json beside its manifests
  const constructPaths = readConstructMetadata(skipped);
  const findings = sortFindings(result.findings.map((f) => toReportFinding(f, constructPaths.lookup(f.source?.file, f.name))));
  const { judged, notJudged } = result;
  const errorCount = findings.filter((f) => f.severity === Severity.ERROR).length;
  const warningCount = findings.length - errorCount;
  if (args.format === 'json') {
    const summary = {
      errors: errorCount,
      warnings: warningCount,
      files,
      objects: objects.length,
      judged,
      notJudged,
      inputErrors: errors.length,
      ...(skipped.length > 0 ? { skipped } : {}),
    };
    writeJsonObject(io, [
      ['findings', findings, toJsonFinding],
      ['errors', errors, toJsonInputError],
      ['summary', summary],
    ]);
  } else if (args.format === 'text') {
    for (const e of errors) io.stderr(`cdk8s-safe-pods: ${formatInputError(e)}\n`);
    for (const f of findings) {
      const from = f.constructPath !== undefined ? ` (construct ${escapeForTerminal(f.constructPath)})` : '';
      io.stdout(`${locationOf(f)}: ${formatFinding({ ...f, severity: f.severity as Severity })}${from}\n`);
    }
    const skippedNote = skipped.length > 0 ? `; skipped ${plural(skipped.length, 'construct-metadata.json file')}` : '';
    const inputNote = errors.length > 0 ? `; ${plural(errors.length, 'input error')}: the check is incomplete` : '';
    io.stdout(
      `${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')} in ${plural(objects.length, 'object')} (${plural(files, 'file')}${skippedNote})${inputNote}\n`,
    );
    const notJudgedKinds = Object.entries(notJudged).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    const notJudgedCount = notJudgedKinds.reduce((n, [, k]) => n + k, 0);
    if (notJudgedCount > 0) {
      io.stdout(
        `${plural(notJudgedCount, 'custom object')} not judged (no pod template found): ${notJudgedKinds.map(([k, n]) => `${k} ×${n}`).join(', ')}\n`,
      );
    }
  } else {
    const report: Report = {
      tool: { name: 'cdk8s-safe-pods', version: packageVersion(), informationUri: 'https://github.com/cdk8s-safe-pods/cdk8s-safe-pods' },
      rules: (rules === RULES ? RULE_CATALOGUE : [...rules, ...SUPPRESSION_RULES]).map(({ id, severity, title, reason, fix }) => ({
        id,
        severity,
        title,
        reason,
        fix,
      })),
      findings,
      errors,
      objects: { judged, notJudged },
      files,
    };
    io.stdout(formatReport(report, args.format, { cwd, warningsFail: settings.failOn === Severity.WARNING }));
  }
  if (errors.length > 0) return ExitCode.INPUT;
  const failing = settings.failOn === Severity.WARNING ? findings.length : errorCount;
  return failing > 0 ? ExitCode.FINDINGS : ExitCode.OK;
}

function listRules(format: 'text' | 'json', io: CliIo, rules: readonly Rule[]): ExitCode {
  const catalogue: RuleInfo[] = (rules === RULES ? RULE_CATALOGUE : [...rules, ...SUPPRESSION_RULES]).map(({ id, severity, title, reason, fix }) => ({
    id,
    severity,
    title,
    reason,
    fix,
  }));
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ rules: catalogue }, null, 2)}\n`);
  } else {
    const idWidth = Math.max(...catalogue.map((r) => r.id.length));
    for (const r of catalogue) io.stdout(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${r.title}\n`);
  }
  return ExitCode.OK;
}

/**
 * Runs the `cdk8s-safe-pods` command line (`argv` without the node and script names) and returns its exit code (see
 * `ExitCode`): 0 when no errors were found, 1 when some were, 2 on bad usage, 3 when an input could not be read.
 */
export async function runCli(argv: readonly string[], io: CliIo, rules: readonly Rule[] = RULES): Promise<ExitCode> {
  try {
    // explain and export have options of their own: they parse their arguments themselves
    if (argv[0] === 'explain') return await runExplain(argv.slice(1), io);
    if (argv[0] === 'export') return await runExport(argv.slice(1), io);
    const { command, help, version, words, check: args } = parse(argv);
    if (version) {
      io.stdout(`${packageVersion()}\n`);
      return ExitCode.OK;
    }
    if (help || command === 'help') {
      io.stdout(USAGE);
      return ExitCode.OK;
    }
    switch (command) {
      case 'check':
        return await check(args, io, rules);
      case 'rules':
        if (words.length > 0) throw new UsageError(`rules takes no arguments, got ${words.map((w) => JSON.stringify(w)).join(' ')}`);
        if (args.format !== 'text' && args.format !== 'json') throw new UsageError(`rules prints text or json, not ${JSON.stringify(args.format)}`);
        return listRules(args.format, io, rules);
      case 'explain':
        return await runExplain(
          argv.filter((_, i) => i !== argv.indexOf('explain')),
          io,
        );
      case undefined:
        throw new UsageError('missing command: use "check" or "rules"');
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; use "check" or "rules"`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-safe-pods: ${e.message}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
}

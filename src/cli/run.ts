import { parseArgs } from 'util';
import { DEFAULTS } from '../defaults';
import { KubernetesVersion } from '../k8s/version';
import { ManifestSyntaxError, manifestFiles, parseManifests, readManifestFile } from '../io/manifests';
import { RULE_CATALOGUE, RULES } from '../rules/catalogue';
import { checkObjects } from '../rules/check';
import { formatFinding } from '../rules/format';
import { SUPPRESSION_RULES } from '../rules/suppressions';
import type { LocatedObject } from '../k8s/shapes';
import type { ObjectFinding } from '../rules/check';
import type { Rule, RuleInfo } from '../rules/types';
import { Severity } from '../rules/types';
import { runExplain } from './explain';
import { runExport } from './export';

/** Exit codes of the `cdk8s-safe-pods` command. */
export enum ExitCode {
  /** No errors were found (warnings may have been). */
  OK = 0,
  /** At least one error was found. */
  FINDINGS = 1,
  /** Bad usage, or a path that cannot be read or parsed. */
  USAGE = 2,
}

/** Where `runCli` reads and writes; injectable for tests. */
export interface CliIo {
  /** Writes to standard output (the text is complete lines, with newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (the text is complete lines, with newlines). */
  readonly stderr: (text: string) => void;
  /**
   * Reads all of standard input (used for the path `-`).
   *
   * @default - standard input cannot be read: `-` is a usage error
   */
  readonly stdin?: () => Promise<string>;
}

/** The name `<stdin>` findings carry for the path `-`. */
export const STDIN_FILE = '<stdin>';

const USAGE = `Usage:
  cdk8s-safe-pods check [options] <paths...>   check the pod specs in manifest files
  cdk8s-safe-pods rules [--format text|json]   list the rule catalogue
  cdk8s-safe-pods explain [options] <paths...> show each container as the kubelet builds it, and the start/stop timeline (explain --help)
  cdk8s-safe-pods export admission-policies [--kubernetes-version X.Y] [--audit] [--require-digest] [--config PATH | --no-config]
                                               write the rules as ValidatingAdmissionPolicies (YAML)
  cdk8s-safe-pods --help

Paths are files or folders (searched recursively for *.yaml, *.yml and *.json); "-" reads standard input.
Every Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate is
checked; Services and RuntimeClasses in the same files are known to the checks.

Options of check:
  --format text|json            output format (default: text)
  --kubernetes-version X.Y      the Kubernetes version the manifests are for (default: ${DEFAULTS.kubernetesVersion})
  --runtime-class NAME          a RuntimeClass that exists in the cluster; repeatable
                                (a pod referencing a RuntimeClass neither in the files nor named here is an error)
  --require-digest              require every image to be pinned by digest
  -h, --help                    show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or unreadable/invalid files.
`;

class UsageError extends Error {}

interface CheckArgs {
  readonly format: 'text' | 'json';
  readonly kubernetesVersion: KubernetesVersion;
  readonly runtimeClasses: readonly string[];
  readonly requireDigest: boolean;
  readonly paths: readonly string[];
}

function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--format ${JSON.stringify(value)} is not supported; use "text" or "json"`);
}

function parse(argv: readonly string[]): { command: string | undefined; help: boolean; check: CheckArgs } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string' },
        'kubernetes-version': { type: 'string' },
        'runtime-class': { type: 'string', multiple: true },
        'require-digest': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...paths] = positionals;
  let kubernetesVersion = DEFAULTS.kubernetesVersion;
  if (values['kubernetes-version'] !== undefined) {
    try {
      kubernetesVersion = KubernetesVersion.of(values['kubernetes-version']);
    } catch (e) {
      throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
    }
  }
  return {
    command,
    help: values.help === true,
    check: {
      format: parseFormat(values.format),
      kubernetesVersion,
      runtimeClasses: values['runtime-class'] ?? [],
      requireDigest: values['require-digest'] === true,
      paths,
    },
  };
}

function locationOf(f: ObjectFinding): string {
  if (!f.source) return '-';
  return f.source.line !== undefined ? `${f.source.file}:${f.source.line}` : f.source.file;
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
}

function toJsonFinding(f: ObjectFinding): JsonFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: f.source?.file ?? null,
    line: f.source?.line ?? null,
    document: f.source?.document ?? null,
    item: f.source?.item ?? null,
    kind: f.kind,
    name: f.name,
    namespace: f.namespace ?? null,
    path: f.field,
    container: f.container ?? null,
  };
}

async function load(paths: readonly string[], io: CliIo): Promise<{ objects: LocatedObject[]; files: number; errors: ManifestSyntaxError[] }> {
  const objects: LocatedObject[] = [];
  const errors: ManifestSyntaxError[] = [];
  let files = 0;
  let stdinRead = false;
  for (const p of paths) {
    try {
      if (p === '-') {
        if (!io.stdin) throw new UsageError('"-" (standard input) is not available here');
        if (stdinRead) continue;
        stdinRead = true;
        objects.push(...parseManifests(await io.stdin(), STDIN_FILE));
        files++;
        continue;
      }
      for (const file of await manifestFiles([p])) {
        try {
          objects.push(...(await readManifestFile(file)));
          files++;
        } catch (e) {
          if (!(e instanceof ManifestSyntaxError)) throw e;
          errors.push(e);
        }
      }
    } catch (e) {
      if (!(e instanceof ManifestSyntaxError)) throw e;
      errors.push(e);
    }
  }
  return { objects, files, errors };
}

async function check(args: CheckArgs, io: CliIo, rules: readonly Rule[]): Promise<ExitCode> {
  if (args.paths.length === 0) throw new UsageError('check needs at least one path (a file, a folder, or "-" for standard input)');
  const { objects, files, errors } = await load(args.paths, io);
  if (errors.length > 0) {
    for (const e of errors) io.stderr(`cdk8s-safe-pods: ${e.message}\n`);
    return ExitCode.USAGE;
  }
  const { findings, judged, notJudged } = checkObjects(
    objects,
    { kubernetesVersion: args.kubernetesVersion, requireDigest: args.requireDigest, runtimeClasses: args.runtimeClasses },
    rules,
  );
  const skipped = Object.entries(notJudged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const skippedCount = skipped.reduce((n, [, k]) => n + k, 0);
  const errorCount = findings.filter((f) => f.severity === Severity.ERROR).length;
  const warningCount = findings.length - errorCount;
  if (args.format === 'json') {
    const summary = { errors: errorCount, warnings: warningCount, files, objects: objects.length, judged, notJudged };
    io.stdout(`${JSON.stringify({ findings: findings.map(toJsonFinding), summary }, null, 2)}\n`);
  } else {
    for (const f of findings) io.stdout(`${locationOf(f)}: ${formatFinding(f)}\n`);
    io.stdout(
      `${plural(errorCount, 'error')}, ${plural(warningCount, 'warning')} in ${plural(objects.length, 'object')} (${plural(files, 'file')})\n`,
    );
    if (skippedCount > 0) {
      io.stdout(`${plural(skippedCount, 'custom object')} not judged (no pod template found): ${skipped.map(([k, n]) => `${k} ×${n}`).join(', ')}\n`);
    }
  }
  return errorCount > 0 ? ExitCode.FINDINGS : ExitCode.OK;
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
 * Runs the `cdk8s-safe-pods` command line (`argv` without the node and script names) and returns its exit code:
 * 0 when no errors were found, 1 when some were, 2 on bad usage or a file that cannot be read or parsed.
 */
export async function runCli(argv: readonly string[], io: CliIo, rules: readonly Rule[] = RULES): Promise<ExitCode> {
  try {
    // explain and export have options of their own: they parse their arguments themselves
    if (argv[0] === 'explain') return await runExplain(argv.slice(1), io);
    if (argv[0] === 'export') return await runExport(argv.slice(1), io);
    const { command, help, check: args } = parse(argv);
    if (help || command === 'help') {
      io.stdout(USAGE);
      return ExitCode.OK;
    }
    switch (command) {
      case 'check':
        return await check(args, io, rules);
      case 'rules':
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

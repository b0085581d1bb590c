/**
 * `cdk8s-safe-pods explain`: for every pod-bearing object in manifest files, what the kubelet will build for each
 * container (environment with sources, command, image and pull policy, RuntimeClass admission) and the pod's start
 * and stop timeline, as text, JSON or an SVG picture. Reads the same inputs as `check`.
 */
import { DEFAULTS } from '../defaults';
import { explainObjects, formatExplainSvg, formatExplainText, onlyContainer } from '../explain';
import type { ExplainedPod, ExplainReport } from '../explain';
import { READ_LIMITS } from '../defaults/limits';
import { formatInputError } from '../io/manifests';
import type { KubernetesVersion } from '../k8s/version';
import type { CliIo } from './run';
import { parseCommandLine, UsageError } from './args';
import { ExitCode, loadInputs, parseKubernetesVersion, parseRuntimeClasses, settingsOf } from './run';

/** The usage text of `explain`. */
export const EXPLAIN_USAGE = `Usage:
  cdk8s-safe-pods explain [options] <paths...>

Explains every Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and
PodTemplate in the files: per container the hostname, the final environment (value and source of every variable,
$(VAR) expanded as the kubelet does), command and args after expansion, the image and its pull policy, the
RuntimeClass admission and effective requests, the findings of check; and the start and stop timeline in seconds.
Services, RuntimeClasses, ConfigMaps and Secrets in the same files are known (Secret values are never shown).

Options:
  --format text|json|svg        output format (default: text); svg draws the timeline of one pod
  --kubernetes-version X.Y      the Kubernetes version the manifests are for (default: ${DEFAULTS.kubernetesVersion})
  --object KIND/NAME            explain only this object, e.g. Deployment/web
  --container NAME              show only this container
  --runtime-class NAME          a RuntimeClass that exists in the cluster; repeatable
  --kubernetes-service-ip IP    the cluster IP of default/kubernetes (default: shown as ${DEFAULTS.unallocatedClusterIP})
  -h, --help                    show this help

Exit codes: 0 explained, 2 bad usage (unknown object or container) or unreadable/invalid files.
`;

/** `CliIo` plus whether standard output is a terminal (text output is coloured only then). */
export interface ExplainCliIo extends CliIo {
  /**
   * Whether standard output is a terminal.
   *
   * @default false
   */
  readonly isTTY?: boolean;
}

type Format = 'text' | 'json' | 'svg';

interface ExplainArgs {
  readonly format: Format;
  /**
   * `--kubernetes-version`.
   *
   * @default - the repository configuration's, else DEFAULTS.kubernetesVersion
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * `--object KIND/NAME`.
   *
   * @default - every object
   */
  readonly object?: string;
  /**
   * `--container NAME`.
   *
   * @default - every container
   */
  readonly container?: string;
  /**
   * `--runtime-class`.
   *
   * @default - the repository configuration's
   */
  readonly runtimeClasses?: readonly string[];
  /**
   * `--kubernetes-service-ip`.
   *
   * @default - unknown
   */
  readonly kubernetesServiceIP?: string;
  readonly paths: readonly string[];
  readonly help: boolean;
}

function parse(argv: readonly string[]): ExplainArgs {
  const { values, positionals } = parseCommandLine(argv, {
    format: { type: 'string' },
    'kubernetes-version': { type: 'string' },
    object: { type: 'string' },
    container: { type: 'string' },
    'runtime-class': { type: 'string', multiple: true },
    'kubernetes-service-ip': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'svg') {
    throw new UsageError(`--format ${JSON.stringify(format)} is not supported; use "text", "json" or "svg"`);
  }
  const version = values['kubernetes-version'];
  if (values.object !== undefined && !/^[^/]+\/.+$/.test(values.object)) {
    throw new UsageError(`--object ${JSON.stringify(values.object)} is not KIND/NAME, e.g. Deployment/web`);
  }
  return {
    format,
    ...(version !== undefined ? { kubernetesVersion: parseKubernetesVersion(version) } : {}),
    ...(values.object !== undefined ? { object: values.object } : {}),
    ...(values.container !== undefined ? { container: values.container } : {}),
    ...(values['runtime-class'] !== undefined ? { runtimeClasses: parseRuntimeClasses(values['runtime-class']) } : {}),
    ...(values['kubernetes-service-ip'] !== undefined ? { kubernetesServiceIP: values['kubernetes-service-ip'] } : {}),
    paths: positionals,
    help: values.help === true,
  };
}

function describe(pod: ExplainedPod): string {
  return `${pod.kind}/${pod.name}`;
}

function select(pods: readonly ExplainedPod[], args: ExplainArgs): ExplainedPod[] {
  if (pods.length === 0)
    throw new UsageError('the files contain no pod-bearing object (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ...)');
  let out = [...pods];
  if (args.object !== undefined) {
    const slash = args.object.indexOf('/');
    const kind = args.object.slice(0, slash).toLowerCase();
    const name = args.object.slice(slash + 1);
    out = out.filter((p) => p.kind.toLowerCase() === kind && p.name === name);
    if (out.length === 0) {
      throw new UsageError(`--object ${JSON.stringify(args.object)} names no object in the files; there are: ${pods.map(describe).join(', ')}`);
    }
  }
  if (args.container !== undefined) {
    const name = args.container;
    const withIt = out.map((p) => onlyContainer(p, name)).filter((p): p is ExplainedPod => p !== undefined);
    if (withIt.length === 0) {
      const names = [...new Set(out.flatMap((p) => p.containers.map((c) => c.name)))];
      throw new UsageError(`--container ${JSON.stringify(name)} names no container of the selected objects; there are: ${names.join(', ')}`);
    }
    out = withIt;
  }
  if (args.format === 'svg' && out.length > 1) {
    throw new UsageError(`--format svg draws one pod; choose it with --object (there are: ${out.map(describe).join(', ')})`);
  }
  return out;
}

/**
 * Runs `cdk8s-safe-pods explain` (`argv` after the word `explain`) and returns its exit code: 0 when the objects
 * were explained, 2 on bad usage (an unknown object or container) or a file that cannot be read or parsed.
 */
export async function runExplain(argv: readonly string[], io: ExplainCliIo): Promise<ExitCode> {
  try {
    const args = parse(argv);
    if (args.help) {
      io.stdout(EXPLAIN_USAGE);
      return ExitCode.OK;
    }
    if (args.paths.length === 0) throw new UsageError('explain needs at least one path (a file, a folder, or "-" for standard input)');
    const { objects, errors } = await loadInputs(
      { paths: args.paths, allowEmpty: false, maxFileBytes: READ_LIMITS.maxFileBytes, maxDepth: READ_LIMITS.maxDepth },
      io,
    );
    if (errors.length > 0) {
      for (const err of errors) io.stderr(`cdk8s-safe-pods: ${formatInputError(err)}\n`);
      return ExitCode.INPUT;
    }
    const pods = select(
      explainObjects(objects, {
        // the same settings as check: flags, then the repository's safe-pods.config.json, then the defaults
        ...settingsOf({ ...args, requireDigest: false, noConfig: false }, io.cwd ?? process.cwd()),
        ...(args.kubernetesServiceIP !== undefined ? { kubernetesServiceIP: args.kubernetesServiceIP } : {}),
      }),
      args,
    );
    if (args.format === 'json') {
      const report: ExplainReport = { pods };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else if (args.format === 'svg') {
      io.stdout(formatExplainSvg(pods[0]));
    } else {
      io.stdout(formatExplainText(pods, { colour: io.isTTY === true }));
    }
    return ExitCode.OK;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-safe-pods explain: ${e.message}\n\n${EXPLAIN_USAGE}`);
    return ExitCode.USAGE;
  }
}

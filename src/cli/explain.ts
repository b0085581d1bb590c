/**
 * `cdk8s-safe-pods explain`: for every pod-bearing object in manifest files, what the kubelet will build for each
 * container (environment with sources, command, image and pull policy, RuntimeClass admission) and the pod's start
 * and stop timeline, as text, JSON or an SVG picture. Reads the same inputs as `check`.
 */
import { parseArgs } from 'util';
import { DEFAULTS } from '../defaults';
import { explainObjects, formatExplainSvg, formatExplainText, onlyContainer } from '../explain';
import type { ExplainedPod, ExplainReport } from '../explain';
import { ManifestSyntaxError, manifestFiles, parseManifests, readManifestFile } from '../io/manifests';
import type { LocatedObject } from '../k8s/shapes';
import { KubernetesVersion } from '../k8s/version';
import type { CliIo } from './run';
import { ExitCode, STDIN_FILE } from './run';

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

class UsageError extends Error {}

type Format = 'text' | 'json' | 'svg';

interface ExplainArgs {
  readonly format: Format;
  readonly kubernetesVersion: KubernetesVersion;
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
  readonly runtimeClasses: readonly string[];
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
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string' },
        'kubernetes-version': { type: 'string' },
        object: { type: 'string' },
        container: { type: 'string' },
        'runtime-class': { type: 'string', multiple: true },
        'kubernetes-service-ip': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'svg') {
    throw new UsageError(`--format ${JSON.stringify(format)} is not supported; use "text", "json" or "svg"`);
  }
  let kubernetesVersion = DEFAULTS.kubernetesVersion;
  if (values['kubernetes-version'] !== undefined) {
    try {
      kubernetesVersion = KubernetesVersion.of(values['kubernetes-version']);
    } catch (e) {
      throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
    }
  }
  if (values.object !== undefined && !/^[^/]+\/.+$/.test(values.object)) {
    throw new UsageError(`--object ${JSON.stringify(values.object)} is not KIND/NAME, e.g. Deployment/web`);
  }
  return {
    format,
    kubernetesVersion,
    ...(values.object !== undefined ? { object: values.object } : {}),
    ...(values.container !== undefined ? { container: values.container } : {}),
    runtimeClasses: values['runtime-class'] ?? [],
    ...(values['kubernetes-service-ip'] !== undefined ? { kubernetesServiceIP: values['kubernetes-service-ip'] } : {}),
    paths: positionals,
    help: values.help === true,
  };
}

async function load(paths: readonly string[], io: CliIo): Promise<LocatedObject[]> {
  const objects: LocatedObject[] = [];
  const errors: string[] = [];
  let stdinRead = false;
  for (const p of paths) {
    try {
      if (p === '-') {
        if (!io.stdin) throw new UsageError('"-" (standard input) is not available here');
        if (stdinRead) continue;
        stdinRead = true;
        objects.push(...parseManifests(await io.stdin(), STDIN_FILE));
        continue;
      }
      for (const file of await manifestFiles([p])) {
        try {
          objects.push(...(await readManifestFile(file)));
        } catch (e) {
          if (!(e instanceof ManifestSyntaxError)) throw e;
          errors.push(e.message);
        }
      }
    } catch (e) {
      if (!(e instanceof ManifestSyntaxError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length > 0) throw new FileError(errors);
  return objects;
}

class FileError extends Error {
  constructor(public readonly messages: readonly string[]) {
    super(messages.join('\n'));
  }
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
    const objects = await load(args.paths, io);
    const pods = select(
      explainObjects(objects, {
        kubernetesVersion: args.kubernetesVersion,
        runtimeClasses: args.runtimeClasses,
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
    if (e instanceof FileError) {
      for (const m of e.messages) io.stderr(`cdk8s-safe-pods: ${m}\n`);
      return ExitCode.USAGE;
    }
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-safe-pods explain: ${e.message}\n\n${EXPLAIN_USAGE}`);
    return ExitCode.USAGE;
  }
}

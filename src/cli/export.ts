import { parseArgs } from 'util';
import { stringify } from 'yaml';
import { ADMISSION_POLICY_MIN_VERSION, admissionPolicies } from '../admission/policies';
import { KubernetesVersion } from '../k8s/version';
import type { CliIo } from './run';
import { ExitCode } from './run';

/** What `cdk8s-safe-pods export` can write. */
const TARGETS = ['admission-policies'];

/** The usage of `cdk8s-safe-pods export`. */
export const EXPORT_USAGE = `Usage:
  cdk8s-safe-pods export admission-policies [options]   write the rules as ValidatingAdmissionPolicies (YAML, stdout)

Options of export admission-policies:
  --kubernetes-version X.Y      the version of the cluster (default: ${ADMISSION_POLICY_MIN_VERSION}; 1.30 or newer)
  --audit                       bind every policy with [Audit, Warn]: report, refuse nothing (try this first)
  --require-digest              require every image to be pinned by digest
  -h, --help                    show this help

Each exported rule becomes a ValidatingAdmissionPolicy named <rule-id>.safe-pods.cdk8s.io and a binding of the same
name: errors are bound with Deny, warnings with Warn. Apply with: cdk8s-safe-pods export admission-policies | kubectl apply -f -
`;

class UsageError extends Error {}

interface ExportArgs {
  readonly target: string;
  readonly kubernetesVersion: KubernetesVersion;
  readonly audit: boolean;
  readonly requireDigest: boolean;
  readonly help: boolean;
}

function parse(argv: readonly string[]): ExportArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'kubernetes-version': { type: 'string' },
        audit: { type: 'boolean' },
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
  const help = values.help === true;
  const [target, ...rest] = positionals;
  if (!help && target === undefined) throw new UsageError(`export needs what to export: ${TARGETS.map((t) => JSON.stringify(t)).join(', ')}`);
  if (!help && !TARGETS.includes(target))
    throw new UsageError(`cannot export ${JSON.stringify(target)}; use ${TARGETS.map((t) => JSON.stringify(t)).join(', ')}`);
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  let kubernetesVersion = ADMISSION_POLICY_MIN_VERSION;
  if (values['kubernetes-version'] !== undefined) {
    try {
      kubernetesVersion = KubernetesVersion.of(values['kubernetes-version']);
    } catch (e) {
      throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
    }
    if (!kubernetesVersion.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) {
      throw new UsageError(
        `--kubernetes-version ${kubernetesVersion}: ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) needs Kubernetes ` +
          `${ADMISSION_POLICY_MIN_VERSION} or newer`,
      );
    }
  }
  return { target: target ?? '', kubernetesVersion, audit: values.audit === true, requireDigest: values['require-digest'] === true, help };
}

/**
 * Runs `cdk8s-safe-pods export <target>` (`argv` after `export`): `admission-policies` writes the policies and
 * bindings of `admissionPolicies()` as YAML documents to standard output. Returns 0, or 2 on bad usage.
 */
export async function runExport(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let args: ExportArgs;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-safe-pods: ${e.message}\n\n${EXPORT_USAGE}`);
    return ExitCode.USAGE;
  }
  if (args.help) {
    io.stdout(EXPORT_USAGE);
    return ExitCode.OK;
  }
  const set = admissionPolicies({ kubernetesVersion: args.kubernetesVersion, audit: args.audit, requireDigest: args.requireDigest });
  const header =
    `# cdk8s-safe-pods admission policies for Kubernetes ${args.kubernetesVersion}` +
    `${args.audit ? ' (audit mode: nothing is refused)' : ''}${args.requireDigest ? ', digests required' : ''}\n`;
  io.stdout(header + set.objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return ExitCode.OK;
}

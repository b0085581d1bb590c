import * as path from 'path';
import { stringify } from 'yaml';
import { ADMISSION_POLICY_MIN_VERSION, admissionPolicies } from '../admission/policies';
import type { SafePodsConfig } from '../config/config';
import { ConfigError, ruleSettingsOf } from '../config/config';
import { EMPTY_CONFIG, loadConfig } from '../config/load';
import { KubernetesVersion } from '../k8s/version';
import { RULE_CATALOGUE } from '../rules/catalogue';
import { parseCommandLine, UsageError } from './args';
import type { CliIo } from './run';
import { ExitCode } from './run';

/** What `cdk8s-safe-pods export` can write. */
const TARGETS = ['admission-policies'];

/** The usage of `cdk8s-safe-pods export`. */
export const EXPORT_USAGE = `Usage:
  cdk8s-safe-pods export admission-policies [options]   write the rules as ValidatingAdmissionPolicies (YAML, stdout)

Options of export admission-policies:
  --kubernetes-version X.Y      the version of the cluster, 1.30 or newer (default: the configuration's kubernetesVersion,
                                else ${ADMISSION_POLICY_MIN_VERSION})
  --audit                       bind every policy with [Audit, Warn]: report, refuse nothing (try this first)
  --require-digest              require every image to be pinned by digest (default: the configuration's requireDigest)
  --config PATH                 read this configuration file (default: the nearest safe-pods.config.json, up to the
                                repository root)
  --no-config                   read no configuration file
  -h, --help                    show this help

The configuration file gives the target version, strict mode and the rule settings (severities, rules switched off);
the options win over it.

Each exported rule becomes a ValidatingAdmissionPolicy named <rule-id>.safe-pods.cdk8s.io and a binding of the same
name: errors are bound with Deny, warnings with Warn. Apply with: cdk8s-safe-pods export admission-policies | kubectl apply -f -
`;

interface ExportArgs {
  readonly target: string;
  /** The version given with --kubernetes-version. */
  readonly kubernetesVersion?: KubernetesVersion;
  readonly audit: boolean;
  /** true with --require-digest. */
  readonly requireDigest?: true;
  /** The file given with --config, or false with --no-config. */
  readonly config?: string | false;
  readonly help: boolean;
}

function tooOld(version: KubernetesVersion, what: string): UsageError {
  return new UsageError(
    `${what} ${version}: ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) needs Kubernetes ${ADMISSION_POLICY_MIN_VERSION} or newer`,
  );
}

function parse(argv: readonly string[]): ExportArgs {
  const { values, positionals } = parseCommandLine(argv, {
    'kubernetes-version': { type: 'string' },
    audit: { type: 'boolean' },
    'require-digest': { type: 'boolean' },
    config: { type: 'string' },
    'no-config': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const help = values.help === true;
  const [target, ...rest] = positionals;
  if (!help && target === undefined) throw new UsageError(`export needs what to export: ${TARGETS.map((t) => JSON.stringify(t)).join(', ')}`);
  if (!help && !TARGETS.includes(target))
    throw new UsageError(`cannot export ${JSON.stringify(target)}; use ${TARGETS.map((t) => JSON.stringify(t)).join(', ')}`);
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('--config and --no-config exclude each other; give one');
  let kubernetesVersion: KubernetesVersion | undefined;
  if (values['kubernetes-version'] !== undefined) {
    try {
      kubernetesVersion = KubernetesVersion.of(values['kubernetes-version']);
    } catch (e) {
      throw new UsageError(`--kubernetes-version: ${(e as Error).message}`);
    }
    if (!kubernetesVersion.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) throw tooOld(kubernetesVersion, '--kubernetes-version');
  }
  return {
    target: target ?? '',
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    audit: values.audit === true,
    ...(values['require-digest'] === true ? { requireDigest: true } : {}),
    ...(values['no-config'] === true ? { config: false } : values.config !== undefined ? { config: values.config } : {}),
    help,
  };
}

/** A file as the header names it: relative to the working directory when inside it. */
function shown(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The configuration in force: the file given, none, or the nearest one from the working directory. */
function configOf(args: ExportArgs, cwd: string): SafePodsConfig {
  if (args.config === false) return EMPTY_CONFIG;
  return loadConfig({
    cwd,
    ...(args.config !== undefined ? { path: args.config } : {}),
    knownRuleIds: RULE_CATALOGUE.map((r) => r.id),
  });
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
  const cwd = io.cwd ?? process.cwd();
  let config: SafePodsConfig;
  let kubernetesVersion: KubernetesVersion;
  try {
    config = configOf(args, cwd);
    kubernetesVersion = args.kubernetesVersion ?? config.kubernetesVersion ?? ADMISSION_POLICY_MIN_VERSION;
    if (!kubernetesVersion.isAtLeast(ADMISSION_POLICY_MIN_VERSION)) {
      throw tooOld(kubernetesVersion, `the kubernetesVersion of ${config.file ?? 'the configuration'} is`);
    }
  } catch (e) {
    if (!(e instanceof ConfigError) && !(e instanceof UsageError)) throw e;
    const hint = e instanceof UsageError ? '; give the version of the cluster with --kubernetes-version' : '';
    io.stderr(`cdk8s-safe-pods: ${e.message}${hint}\n`);
    return ExitCode.USAGE;
  }
  const requireDigest = args.requireDigest ?? config.requireDigest ?? false;
  const ruleSettings = ruleSettingsOf(config);
  const set = admissionPolicies({
    kubernetesVersion,
    audit: args.audit,
    requireDigest,
    ...(ruleSettings.size > 0 ? { ruleSettings } : {}),
  });
  const off = [...ruleSettings].filter(([, s]) => s === 'off').map(([id]) => id);
  const header =
    `# cdk8s-safe-pods admission policies for Kubernetes ${kubernetesVersion}` +
    `${args.audit ? ' (audit mode: nothing is refused)' : ''}${requireDigest ? ', digests required' : ''}\n` +
    (config.file !== undefined ? `# settings from ${shown(config.file, cwd)}${off.length > 0 ? ` (switched off: ${off.join(', ')})` : ''}\n` : '');
  io.stdout(header + set.objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return ExitCode.OK;
}

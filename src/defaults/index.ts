import { ImagePullPolicy } from '../k8s/shapes';
import { KubernetesVersion } from '../k8s/version';

/**
 * How bad a finding is.
 *
 * @group Values
 */
export enum Severity {
  /** The manifest is refused: synth fails, the CLI exits 1. */
  ERROR = 'error',
  /** Reported, but the manifest is still written. */
  WARNING = 'warning',
}

/**
 * What to do with warnings (findings of severity `warning`) at synth time.
 *
 * @group Values
 */
export enum WarningMode {
  /** Print them to stderr once per synth, grouped, with construct paths. */
  PRINT = 'print',
  /** Treat them as errors: the synth fails. */
  FAIL = 'fail',
  /** Ignore them (they stay available through `findings()`). */
  IGNORE = 'ignore',
}

/**
 * The single place where the library's defaults live. Constructs, the rule catalogue, the CLI and the
 * README's table of safe defaults all read them from here (a test checks the README against this object).
 *
 * @group Values
 */
export const DEFAULTS = Object.freeze({
  // ---- target -------------------------------------------------------------------------------------
  /** The Kubernetes version manifests are written for, when no app or chart sets one (cdk8s-plus-27 targets 1.27). */
  kubernetesVersion: KubernetesVersion.V1_27,

  /** What SafePods do with warnings at synth time: `print` them to stderr once per synth, `fail`, or `ignore`. */
  warnings: WarningMode.PRINT,

  // ---- images -------------------------------------------------------------------------------------
  /** `imagePullPolicy` written for a pinned image (tag or digest) when the author sets none. */
  imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
  /** `imagePullPolicy` written for an image whose mutable tag was explicitly allowed (`allowMutableTag`). */
  mutableTagPullPolicy: ImagePullPolicy.ALWAYS,
  /** Whether every image must carry a digest (strict mode). */
  requireDigest: false,
  /**
   * Tags that are conventionally moved to new builds: using one is a warning (`latest` is an error). A tag without any
   * digit (`alpine`, `lts-slim`) floats too, listed here or not.
   */
  floatingTags: Object.freeze([
    'stable',
    'main',
    'master',
    'edge',
    'nightly',
    'dev',
    'develop',
    'development',
    'canary',
    'next',
    'beta',
    'alpha',
    'rc',
    'current',
    'head',
    'snapshot',
    'unstable',
    'testing',
    'preview',
    'experimental',
    'release',
    'lts',
    'mainline',
    'prod',
    'production',
    'staging',
  ] as readonly string[]),

  // ---- container environment ---------------------------------------------------------------------
  /** `enableServiceLinks` written on every SafePod (Kubernetes defaults it to true on Pods). */
  enableServiceLinks: false,
  /**
   * Size (bytes, `NAME=value\0` summed) of the injected service-link variables above which a warning is given.
   * Linux caps one env string at 128 KiB (MAX_ARG_STRLEN) and argv+envp at ARG_MAX (often 2 MiB, but a quarter of
   * the stack limit); 32 KiB leaves room for the app's own env and arguments.
   */
  serviceEnvWarnBytes: 32 * 1024,
  /**
   * The value shown for a Service's cluster IP in computed service-link variables when it is not known at synth time
   * (the API server allocates it on creation). Names are exact; only the IP is a placeholder.
   */
  unallocatedClusterIP: '<cluster-ip>',
  /** Port of the `default/kubernetes` Service (named `https`), injected into every container even with links off. */
  kubernetesServicePort: 443,

  // ---- lifecycle hooks ---------------------------------------------------------------------------
  /** Time budget of a PostStart hook whose author declared none, in seconds. */
  postStartBudgetSeconds: 10,
  /** Time budget of a PreStop hook whose author declared none, in seconds. */
  preStopBudgetSeconds: 10,
  /** Seconds reserved after PreStop for the app's own SIGTERM handling, inside the grace period. */
  shutdownReserveSeconds: 10,
  /** `terminationGracePeriodSeconds` Kubernetes applies when a pod sets none (SetDefaults_PodSpec). */
  kubernetesTerminationGracePeriodSeconds: 30,

  // ---- runtime classes ---------------------------------------------------------------------------
  /** What `RuntimeClass.gvisor()` writes: gVisor's documented RuntimeClass (containerd handler `runsc`), no overhead. */
  gvisorRuntimeClass: Object.freeze({
    /** `metadata.name` of the RuntimeClass. */
    name: 'gvisor',
    /** The CRI handler (containerd runtime) it selects. */
    handler: 'runsc',
  }),
  /**
   * What `RuntimeClass.kataQemu()` writes: kata-deploy's `kata-qemu` RuntimeClass
   * (kata-containers tools/packaging/kata-deploy/runtimeclasses/kata-qemu.yaml).
   */
  kataQemuRuntimeClass: Object.freeze({
    /** `metadata.name` of the RuntimeClass. */
    name: 'kata-qemu',
    /** The CRI handler (containerd runtime) it selects. */
    handler: 'kata-qemu',
    /** `overhead.podFixed`: resources the VM adds to every pod. */
    podFixed: Object.freeze({ memory: '160Mi', cpu: '250m' }) as Readonly<Record<string, string>>,
    /** `scheduling.nodeSelector`: the label kata-deploy puts on nodes where Kata is installed. */
    nodeSelector: Object.freeze({ 'katacontainers.io/kata-runtime': 'true' }) as Readonly<Record<string, string>>,
  }),
});

/** The type of `DEFAULTS`. */
export type Defaults = typeof DEFAULTS;

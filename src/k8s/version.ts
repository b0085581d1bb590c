import { ManifestError } from './errors';

const VERSION_SYMBOL = Symbol.for('cdk8s-safe-pods.KubernetesVersion');

/**
 * A Kubernetes minor version that manifests are written for (`1.27`, `1.30`, ...).
 *
 * Rules whose upstream behaviour changed between versions (the native `sleep` hook, relaxed env names,
 * `status.hostIPs`, sidecar init containers) ask the target version through `isAtLeast`.
 *
 * @group Values
 */
export class KubernetesVersion {
  /** Kubernetes 1.27, the API version of cdk8s-plus-27. */
  public static readonly V1_27 = new KubernetesVersion(1, 27);
  /** Kubernetes 1.28 (sidecar init containers exist, but SidecarContainers is alpha and off by default). */
  public static readonly V1_28 = new KubernetesVersion(1, 28);
  /** Kubernetes 1.29: kubelets parse images with `distribution/reference`; sidecar init containers on by default. */
  public static readonly V1_29 = new KubernetesVersion(1, 29);
  /** Kubernetes 1.30: the native `sleep` lifecycle action is on by default. */
  public static readonly V1_30 = new KubernetesVersion(1, 30);
  /** Kubernetes 1.31. */
  public static readonly V1_31 = new KubernetesVersion(1, 31);
  /** Kubernetes 1.32: relaxed env var names on by default. */
  public static readonly V1_32 = new KubernetesVersion(1, 32);
  /** Kubernetes 1.33: `sleep` accepts zero seconds. */
  public static readonly V1_33 = new KubernetesVersion(1, 33);
  /** Kubernetes 1.34. */
  public static readonly V1_34 = new KubernetesVersion(1, 34);

  /**
   * Parses `"1.30"` (also `"v1.30"` and `"1.30.2"`; the patch is ignored).
   * Throws when the text is not a 1.x minor version.
   */
  public static of(text: string): KubernetesVersion {
    const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
    if (!m) {
      throw new ManifestError(`Kubernetes version ${JSON.stringify(text)} is not a version like "1.27" or "1.30"`);
    }
    return new KubernetesVersion(1, Number(m[1]));
  }

  /** Whether `x` is a `KubernetesVersion` (works across copies of this package). */
  public static isKubernetesVersion(x: unknown): x is KubernetesVersion {
    return x !== null && typeof x === 'object' && VERSION_SYMBOL in x;
  }

  private constructor(
    /** Major version (always 1). */
    public readonly major: number,
    /** Minor version. */
    public readonly minor: number,
  ) {
    Object.defineProperty(this, VERSION_SYMBOL, { value: true });
  }

  /** Whether this version is `other` or newer. */
  public isAtLeast(other: KubernetesVersion): boolean {
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  /** `"1.27"`. */
  public toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

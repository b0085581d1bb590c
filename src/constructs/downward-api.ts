/**
 * Typed downward-API values for container env, as cdk8s-plus-27 `EnvValue`s.
 *
 * The paths are the ones `validEnvDownwardAPIFieldPathExpressions` accepts (KUBERNETES.md §4.4). Keys and divisors
 * are checked when the value is created, so a mistake throws at the caller.
 */
import * as kplus from 'cdk8s-plus-27';
import { ManifestError } from '../k8s/errors';
import { validateQualifiedName } from '../k8s/names';
import { goToLower } from '../k8s/text';
import { resourceFieldRefProblems } from '../env/field-refs';

/** Options of the `resourceFieldRef` values. */
export interface DownwardApiResourceOptions {
  /**
   * The unit the value is expressed in: `1m` or `1` for cpu; `1`, `1k` ... `1E`, `1Ki` ... `1Ei` for bytes.
   *
   * @default - "1" (cores for cpu, rounded up; bytes otherwise)
   */
  readonly divisor?: string;
  /**
   * The container whose resources are read.
   *
   * @default - the container the variable is set on
   */
  readonly container?: kplus.Container;
}

function fieldRef(path: string): kplus.EnvValue {
  // EnvValue.fromFieldRef only stringifies the path; EnvFieldPaths lacks some (status.hostIPs), so cast the string
  return kplus.EnvValue.fromFieldRef(path as kplus.EnvFieldPaths);
}

function resourceRef(resource: string, options: DownwardApiResourceOptions): kplus.EnvValue {
  const problems = resourceFieldRefProblems(resource, options.divisor);
  if (problems.length > 0) throw new ManifestError(`downward API ${problems[0]}`, 'valueFrom.resourceFieldRef');
  return kplus.EnvValue.fromResource(resource as kplus.ResourceFieldPaths, { divisor: options.divisor, container: options.container });
}

function hugePagesResource(kind: 'limits' | 'requests', pageSize: string): string {
  if (!/^[0-9]+(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(pageSize)) {
    throw new ManifestError(
      `downward API hugepages size ${JSON.stringify(pageSize)} is not a quantity; use a page size such as "2Mi" or "1Gi"`,
      'valueFrom.resourceFieldRef',
    );
  }
  return `${kind}.hugepages-${pageSize}`;
}

/**
 * Downward-API values for `env`: pod and node facts (`fieldRef`) and the container's own resources
 * (`resourceFieldRef`). Use them in cdk8s-plus `envVariables` or `container.env.addVariable()`.
 *
 * @group Values
 */
export class DownwardApi {
  /** `metadata.name`: the pod's name (also the container's hostname unless `spec.hostname` is set). */
  public static podName(): kplus.EnvValue {
    return fieldRef('metadata.name');
  }

  /** `metadata.namespace`: the pod's namespace. */
  public static podNamespace(): kplus.EnvValue {
    return fieldRef('metadata.namespace');
  }

  /** `metadata.uid`: the pod's UID. */
  public static podUid(): kplus.EnvValue {
    return fieldRef('metadata.uid');
  }

  /**
   * `metadata.labels['<key>']`: one label of the pod (`""` when the pod has no such label).
   * Throws `ManifestError` when `key` is not a qualified name.
   */
  public static label(key: string): kplus.EnvValue {
    const errs = validateQualifiedName(key);
    if (errs.length > 0) {
      throw new ManifestError(
        `downward API label key ${JSON.stringify(key)} is not a qualified name: ${errs[0]}; use e.g. "app.kubernetes.io/name"`,
        'valueFrom.fieldRef.fieldPath',
      );
    }
    return fieldRef(`metadata.labels['${key}']`);
  }

  /**
   * `metadata.annotations['<key>']`: one annotation of the pod (`""` when absent). The key is checked lower-cased,
   * as the API server does. Throws `ManifestError` when it is not a qualified name.
   */
  public static annotation(key: string): kplus.EnvValue {
    const errs = validateQualifiedName(goToLower(key));
    if (errs.length > 0) {
      throw new ManifestError(
        `downward API annotation key ${JSON.stringify(key)} is not a qualified name: ${errs[0]}; use e.g. "example.com/owner"`,
        'valueFrom.fieldRef.fieldPath',
      );
    }
    return fieldRef(`metadata.annotations['${key}']`);
  }

  /** `spec.nodeName`: the node the pod runs on. */
  public static nodeName(): kplus.EnvValue {
    return fieldRef('spec.nodeName');
  }

  /** `spec.serviceAccountName`: the pod's service account. */
  public static serviceAccountName(): kplus.EnvValue {
    return fieldRef('spec.serviceAccountName');
  }

  /** `status.hostIP`: the node's primary IP. */
  public static hostIP(): kplus.EnvValue {
    return fieldRef('status.hostIP');
  }

  /**
   * `status.hostIPs`: the node's IPs, comma-joined. Needs Kubernetes 1.29 or newer (PodHostIPs); the rule
   * `env-field-ref-unsupported` refuses it for an older target version.
   */
  public static hostIPs(): kplus.EnvValue {
    return fieldRef('status.hostIPs');
  }

  /** `status.podIP`: the pod's primary IP. */
  public static podIP(): kplus.EnvValue {
    return fieldRef('status.podIP');
  }

  /** `status.podIPs`: the pod's IPs (IPv4 and IPv6 on dual-stack), comma-joined. */
  public static podIPs(): kplus.EnvValue {
    return fieldRef('status.podIPs');
  }

  /** `limits.cpu` of the container (node allocatable when unset), in units of `divisor`, rounded up. */
  public static cpuLimit(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('limits.cpu', options);
  }

  /** `requests.cpu` of the container, in units of `divisor`, rounded up. */
  public static cpuRequest(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('requests.cpu', options);
  }

  /** `limits.memory` of the container (node allocatable when unset), in units of `divisor`. */
  public static memoryLimit(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('limits.memory', options);
  }

  /** `requests.memory` of the container, in units of `divisor`. */
  public static memoryRequest(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('requests.memory', options);
  }

  /** `limits.ephemeral-storage` of the container, in units of `divisor`. */
  public static ephemeralStorageLimit(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('limits.ephemeral-storage', options);
  }

  /** `requests.ephemeral-storage` of the container, in units of `divisor`. */
  public static ephemeralStorageRequest(options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef('requests.ephemeral-storage', options);
  }

  /** `limits.hugepages-<pageSize>` of the container, e.g. `hugePagesLimit('2Mi')`. */
  public static hugePagesLimit(pageSize: string, options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef(hugePagesResource('limits', pageSize), options);
  }

  /** `requests.hugepages-<pageSize>` of the container, e.g. `hugePagesRequest('1Gi')`. */
  public static hugePagesRequest(pageSize: string, options: DownwardApiResourceOptions = {}): kplus.EnvValue {
    return resourceRef(hugePagesResource('requests', pageSize), options);
  }

  private constructor() {}
}

/** The variables `addCommonDownwardEnv` adds, by name. */
export const COMMON_DOWNWARD_ENV: Readonly<Record<string, () => kplus.EnvValue>> = Object.freeze({
  POD_NAME: DownwardApi.podName,
  POD_NAMESPACE: DownwardApi.podNamespace,
  POD_IP: DownwardApi.podIP,
  NODE_NAME: DownwardApi.nodeName,
});

/**
 * Adds `POD_NAME`, `POD_NAMESPACE`, `POD_IP` and `NODE_NAME` (downward API) to a cdk8s-plus container.
 * Throws `ManifestError` when the container already sets one of them (cdk8s-plus would overwrite it silently).
 */
export function addCommonDownwardEnv(container: kplus.Container): void {
  const existing = container.env.variables;
  for (const name of Object.keys(COMMON_DOWNWARD_ENV)) {
    if (Object.prototype.hasOwnProperty.call(existing, name)) {
      throw new ManifestError(
        `container ${JSON.stringify(container.name)}: env ${JSON.stringify(name)} is already set; remove it or set the downward-API values one by one with DownwardApi`,
        'env',
      );
    }
  }
  for (const [name, value] of Object.entries(COMMON_DOWNWARD_ENV)) container.env.addVariable(name, value());
}

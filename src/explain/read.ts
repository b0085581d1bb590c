/**
 * The parts of a pod spec that `explainPod` needs, taken from the judge's normalised subject (`subjectsOf` in
 * rules/normalize.ts): the JSON is read once, by the normaliser. A field of the wrong JSON type is a
 * `field-type-invalid` finding of the judge, and the explanation reads it as absent; nothing here throws.
 */
import { isJsonObject } from '../rules/normalize';
import type { ContainerRef, EnvFromRef, PodSubject } from '../rules/normalize';
import type { JsonObject, LifecycleHandlerJson } from '../k8s/shapes';

/** An `env[]` entry as read. */
export interface ReadEnvVar {
  /** Index in `env`. */
  readonly index: number;
  /** The name (`""` when unreadable). */
  readonly name: string;
  /**
   * `value`, when a string.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly value?: string;
  /**
   * `valueFrom`, when an object.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly valueFrom?: JsonObject;
}

/** An `envFrom[]` entry as read. */
export interface ReadEnvFrom {
  /** Index in `envFrom`. */
  readonly index: number;
  /**
   * `configMapRef` or `secretRef` (`undefined` when neither is readable).
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly ref?: 'configMapRef' | 'secretRef';
  /** The referenced name. */
  readonly name: string;
  /** `prefix`, `""` when absent. */
  readonly prefix: string;
  /** `optional` of the reference. */
  readonly optional: boolean;
}

/** A lifecycle hook as read: only the handler fields of the right types are kept. */
export type ReadHandler = LifecycleHandlerJson;

/** The container fields `explainPod` reads. */
export interface ReadContainer {
  /** Which list. */
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
  /** Index in the list. */
  readonly index: number;
  /** Field path, e.g. `spec.containers[0]`. */
  readonly field: string;
  /** `name` (`""` when unreadable). */
  readonly name: string;
  /**
   * `image`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly image?: string;
  /**
   * `imagePullPolicy`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly imagePullPolicy?: string;
  /**
   * `command`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly command?: string[];
  /**
   * `args`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly args?: string[];
  /** `env`. */
  readonly env: ReadEnvVar[];
  /** `envFrom`. */
  readonly envFrom: ReadEnvFrom[];
  /**
   * `lifecycle.postStart`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly postStart?: ReadHandler;
  /**
   * `lifecycle.preStop`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly preStop?: ReadHandler;
  /**
   * `restartPolicy`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly restartPolicy?: string;
  /**
   * `resources.requests`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly requests?: Record<string, string | number>;
  /**
   * `resources.limits`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly limits?: Record<string, string | number>;
}

/** An `envFrom[]` source as the explanation uses it: the first of `configMapRef` and `secretRef`. */
function envFromOf(e: EnvFromRef): ReadEnvFrom | undefined {
  for (const ref of ['configMapRef', 'secretRef'] as const) {
    const src = e[ref];
    if (src === undefined) continue;
    return {
      index: e.index,
      ref,
      name: typeof src.name === 'string' ? src.name : '',
      prefix: e.prefix ?? '',
      optional: src.optional === true,
    };
  }
  return undefined; // neither: the API server refuses the entry, and it adds nothing
}

/** One container, from its normalised reference. */
function containerOf(ref: ContainerRef): ReadContainer {
  const c = ref.container;
  return {
    list: ref.list as ReadContainer['list'],
    index: ref.index,
    field: ref.path,
    name: ref.name ?? '',
    image: c.image,
    imagePullPolicy: c.imagePullPolicy,
    command: c.command !== undefined ? [...c.command] : undefined,
    args: c.args !== undefined ? [...c.args] : undefined,
    // an entry without a name adds no variable (the API server refuses it; the judge says so)
    env: ref.env.filter((e) => e.name !== '').map((e) => ({ index: e.index, name: e.name, value: e.value, valueFrom: e.valueFrom })),
    envFrom: ref.envFrom.map(envFromOf).filter((e): e is ReadEnvFrom => e !== undefined),
    postStart: c.lifecycle?.postStart,
    preStop: c.lifecycle?.preStop,
    restartPolicy: c.restartPolicy,
    requests: c.resources?.requests,
    limits: c.resources?.limits,
  };
}

/** The pod spec fields `explainPod` reads. */
export interface ReadPodSpec {
  /** Every container, init (and sidecars) first, then regular, then ephemeral. */
  readonly containers: ReadContainer[];
  /**
   * `enableServiceLinks`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly enableServiceLinks?: boolean;
  /**
   * `runtimeClassName`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly runtimeClassName?: string;
  /**
   * `terminationGracePeriodSeconds`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * `nodeSelector`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * `tolerations` (objects only).
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly tolerations?: JsonObject[];
  /**
   * `overhead`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly overhead?: Record<string, string | number>;
  /**
   * `hostname`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly hostname?: string;
  /**
   * `subdomain`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly subdomain?: string;
  /**
   * `setHostnameAsFQDN`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly setHostnameAsFQDN?: boolean;
  /**
   * `hostNetwork`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly hostNetwork?: boolean;
  /**
   * `serviceAccountName` (or the deprecated `serviceAccount`).
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly serviceAccountName?: string;
  /**
   * `nodeName`.
   *
   * @default - absent in the manifest, or not of the right JSON type
   */
  readonly nodeName?: string;
}

/** `tolerations`, with only the fields of a toleration of the right types (the judge reports the others). */
function tolerationsOf(list: readonly unknown[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const t of list) {
    if (!isJsonObject(t)) continue;
    const o: JsonObject = {};
    for (const k of ['key', 'operator', 'value', 'effect']) if (typeof t[k] === 'string') o[k] = t[k];
    if (typeof t.tolerationSeconds === 'number' && Number.isInteger(t.tolerationSeconds)) o.tolerationSeconds = t.tolerationSeconds;
    out.push(o);
  }
  return out;
}

/** The pod spec of a normalised subject, as `explainPod` reads it. */
export function readPodSpec(subject: PodSubject): ReadPodSpec {
  const spec = subject.spec;
  return {
    containers: subject.containers.map(containerOf),
    enableServiceLinks: spec.enableServiceLinks,
    runtimeClassName: spec.runtimeClassName,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    nodeSelector: spec.nodeSelector,
    tolerations: spec.tolerations !== undefined ? tolerationsOf(spec.tolerations) : undefined,
    overhead: spec.overhead,
    hostname: spec.hostname,
    subdomain: spec.subdomain,
    setHostnameAsFQDN: spec.setHostnameAsFQDN,
    hostNetwork: spec.hostNetwork,
    serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount,
    nodeName: spec.nodeName,
  };
}

/**
 * The value of an `env[].valueFrom` as far as it is known at synth: `fieldRef` (the downward API, resolved by
 * `kubelet_pods.go podFieldSelectorRuntimeValue`), `resourceFieldRef` (`pkg/api/v1/resource` `ExtractContainerResourceValue`:
 * cpu as `ceil(milli / divisor milli)`, bytes as `ceil(value / divisor)`; an unset limit is the node's allocatable),
 * `configMapKeyRef` and `secretKeyRef` (`makeEnvironmentVariables`: an optional missing key sets no variable, a
 * required one fails the container with `CreateContainerConfigError`). What only the cluster knows is a named
 * placeholder such as `<metadata.uid>`; a Secret's value is never shown.
 */
import { splitSubscriptedPath } from '../env/field-refs';
import { ResourceQuantity } from '../k8s/quantity';
import type { JsonObject } from '../k8s/shapes';
import { isJsonObject } from '../rules/normalize';
import type { ReadContainer } from './read';
import type { ConfigSourceFacts } from './types';
import { ConfigSourceKind, EnvSourceKind } from './types';

/** What the kubelet knows about the pod that `fieldRef` can read. */
export interface PodFacts {
  /** Whether the object is a template (names and labels are completed by a controller). */
  readonly template: boolean;
  /**
   * The pod name, when known (a named Pod).
   *
   * @default - unknown (a template, or a Pod with generateName)
   */
  readonly name?: string;
  /**
   * `metadata.namespace`, when set.
   *
   * @default - not set in the manifest
   */
  readonly namespace?: string;
  /** The pod's labels as written (the template's for a workload). */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod's annotations as written (the template's for a workload). */
  readonly annotations: Readonly<Record<string, string>>;
  /**
   * `spec.serviceAccountName`, when set.
   *
   * @default - not set in the manifest
   */
  readonly serviceAccountName?: string;
  /**
   * `spec.nodeName`, when set.
   *
   * @default - not set in the manifest
   */
  readonly nodeName?: string;
  /** Every container (for `resourceFieldRef.containerName`). */
  readonly containers: readonly ReadContainer[];
  /** ConfigMaps and Secrets in the pod's namespace, by kind and name. */
  readonly configSources: ReadonlyMap<string, ConfigSourceFacts>;
}

/** The key of a ConfigMap or Secret in `PodFacts.configSources`. */
export function configSourceKey(kind: ConfigSourceKind, name: string): string {
  return `${kind}/${name}`;
}

/** A resolved `valueFrom`. */
export interface ValueFromResult {
  /**
   * The value (a placeholder when unknown).
   *
   * @default - the kubelet sets no variable at all (an optional key that is missing)
   */
  readonly value?: string;
  /** Whether the value is known at synth. */
  readonly known: boolean;
  /** The source, e.g. `downward API metadata.name`. */
  readonly source: string;
  /** The kind of source. */
  readonly sourceKind: EnvSourceKind;
  /**
   * A sentence for the container's notes (a missing key, an unreadable reference).
   *
   * @default - nothing to add
   */
  readonly note?: string;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function fieldRefValue(ref: JsonObject, pod: PodFacts): ValueFromResult {
  const written = str(ref.fieldPath) ?? '';
  const path = written === 'spec.host' ? 'spec.nodeName' : written;
  const source = `downward API ${written}`;
  const sourceKind = EnvSourceKind.DOWNWARD_API;
  const known = (value: string): ValueFromResult => ({ value, known: true, source, sourceKind });
  const unknown: ValueFromResult = { value: `<${path}>`, known: false, source, sourceKind };
  const sub = splitSubscriptedPath(path);
  if (sub && (sub[0] === 'metadata.labels' || sub[0] === 'metadata.annotations')) {
    const map = sub[0] === 'metadata.labels' ? pod.labels : pod.annotations;
    if (Object.prototype.hasOwnProperty.call(map, sub[1])) return known(map[sub[1]]);
    // a Pod without the key reads "" (fieldpath.ExtractFieldPathAsString); a controller adds keys to a template's pods
    return pod.template ? unknown : known('');
  }
  switch (path) {
    case 'metadata.name':
      return pod.name !== undefined ? known(pod.name) : unknown;
    case 'metadata.namespace':
      return pod.namespace !== undefined ? known(pod.namespace) : unknown;
    case 'spec.serviceAccountName':
      return pod.serviceAccountName !== undefined ? known(pod.serviceAccountName) : unknown;
    case 'spec.nodeName':
      return pod.nodeName !== undefined ? known(pod.nodeName) : unknown;
    default:
      return unknown;
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return a % b === 0n ? a / b : a / b + (a > 0n === b > 0n ? 1n : 0n);
}

function quantityOf(x: unknown): ResourceQuantity | undefined {
  if (typeof x !== 'string' && typeof x !== 'number') return undefined;
  try {
    return ResourceQuantity.fromJson(x);
  } catch {
    return undefined;
  }
}

function resourceFieldRefValue(ref: JsonObject, container: ReadContainer, pod: PodFacts): ValueFromResult {
  const resource = str(ref.resource) ?? '';
  const containerName = str(ref.containerName);
  const target = containerName !== undefined && containerName !== '' ? pod.containers.find((c) => c.name === containerName) : container;
  const source = `resourceFieldRef ${containerName ? `${containerName}/` : ''}${resource}`;
  const sourceKind = EnvSourceKind.RESOURCE;
  const unknown = (why: string): ValueFromResult => ({ value: `<${resource}${why}>`, known: false, source, sourceKind });
  const m = /^(limits|requests)\.(.+)$/.exec(resource);
  if (!m || target === undefined) return unknown('');
  const [, list, name] = m;
  // SetDefaults: a limit without a request is the request
  const written = list === 'limits' ? target.limits?.[name] : (target.requests?.[name] ?? target.limits?.[name]);
  if (written === undefined) return unknown(list === 'limits' ? ': node allocatable' : '');
  const q = quantityOf(written);
  const divisor = ref.divisor === undefined || ref.divisor === null ? ResourceQuantity.fromJson('1') : quantityOf(ref.divisor);
  if (q === undefined || divisor === undefined) return unknown('');
  const d = name === 'cpu' ? divisor.milliValue() : divisor.value();
  if (d <= 0n) return unknown('');
  const v = name === 'cpu' ? ceilDiv(q.milliValue(), d) : ceilDiv(q.value(), d);
  return { value: v.toString(), known: true, source, sourceKind };
}

function keyRefValue(ref: JsonObject, kind: ConfigSourceKind, pod: PodFacts): ValueFromResult {
  const name = str(ref.name) ?? '';
  const key = str(ref.key) ?? '';
  const optional = ref.optional === true;
  const word = kind === ConfigSourceKind.CONFIG_MAP ? 'configMap' : 'secret';
  const source = `${kind === ConfigSourceKind.CONFIG_MAP ? 'configMapKeyRef' : 'secretKeyRef'} ${name}/${key}`;
  const sourceKind = kind === ConfigSourceKind.CONFIG_MAP ? EnvSourceKind.CONFIG_MAP_KEY : EnvSourceKind.SECRET_KEY;
  const placeholder = `<${word} ${name}: ${key}>`;
  const facts = pod.configSources.get(configSourceKey(kind, name));
  if (facts === undefined) return { value: placeholder, known: false, source, sourceKind };
  if (!facts.keys.includes(key)) {
    if (optional) {
      return { known: false, source, sourceKind, note: `${word} ${name} has no key ${JSON.stringify(key)}: the optional reference sets no variable` };
    }
    return {
      value: placeholder,
      known: false,
      source,
      sourceKind,
      note: `${word} ${name} has no key ${JSON.stringify(key)}: the kubelet fails the container with CreateContainerConfigError`,
    };
  }
  const value = facts.values?.[key];
  return value === undefined ? { value: placeholder, known: false, source, sourceKind } : { value, known: true, source, sourceKind };
}

/** The value of `env[].valueFrom` for `container`, as far as it is known at synth. */
export function valueFromValue(valueFrom: JsonObject, container: ReadContainer, pod: PodFacts): ValueFromResult {
  if (isJsonObject(valueFrom.fieldRef)) return fieldRefValue(valueFrom.fieldRef, pod);
  if (isJsonObject(valueFrom.resourceFieldRef)) return resourceFieldRefValue(valueFrom.resourceFieldRef, container, pod);
  if (isJsonObject(valueFrom.configMapKeyRef)) return keyRefValue(valueFrom.configMapKeyRef, ConfigSourceKind.CONFIG_MAP, pod);
  if (isJsonObject(valueFrom.secretKeyRef)) return keyRefValue(valueFrom.secretKeyRef, ConfigSourceKind.SECRET, pod);
  return { value: '<valueFrom>', known: false, source: 'valueFrom (no readable source)', sourceKind: EnvSourceKind.DOWNWARD_API };
}

/**
 * Reads the parts of a pod spec that `explainPod` needs out of plain JSON of any shape. A field of the wrong JSON type
 * is reported as an `ExplainProblem` and read as absent; nothing here throws.
 */
import type { JsonObject, LifecycleHandlerJson } from '../k8s/shapes';
import type { ExplainProblem } from './types';

/** Whether `x` is a JSON object (not an array, not null). */
export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `"a"` for messages: the JSON type of a value as Kubernetes would name it. */
function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

/** Collects problems while reading; every read returns a typed value or `undefined`. */
export class Reader {
  /** The problems found so far. */
  public readonly problems: ExplainProblem[] = [];

  /** Records a problem. */
  public report(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A string field; a value of another type is reported and read as absent. */
  public str(obj: JsonObject, key: string, field: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    this.report(`${field}.${key}`, `${field}.${key} is ${typeName(v)}, not a string; it is read as absent`);
    return undefined;
  }

  /** A boolean field. */
  public bool(obj: JsonObject, key: string, field: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.report(`${field}.${key}`, `${field}.${key} is ${typeName(v)}, not a boolean; it is read as absent`);
    return undefined;
  }

  /** A whole, non-negative number field. */
  public seconds(obj: JsonObject, key: string, field: string): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    this.report(`${field}.${key}`, `${field}.${key} is ${JSON.stringify(v) ?? typeName(v)}, not a whole number of seconds; it is read as absent`);
    return undefined;
  }

  /** An object field. */
  public obj(obj: JsonObject, key: string, field: string): JsonObject | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (isObject(v)) return v;
    this.report(`${field}.${key}`, `${field}.${key} is ${typeName(v)}, not an object; it is read as absent`);
    return undefined;
  }

  /** An array field, whose items are kept as they are. */
  public list(obj: JsonObject, key: string, field: string): unknown[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.report(`${field}.${key}`, `${field}.${key} is ${typeName(v)}, not an array; it is read as empty`);
    return [];
  }

  /** An array of strings (`command`, `args`); `undefined` when absent, wrong items are dropped and reported. */
  public strings(obj: JsonObject, key: string, field: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.report(`${field}.${key}`, `${field}.${key} is ${typeName(v)}, not an array of strings; it is read as absent`);
      return undefined;
    }
    const out: string[] = [];
    v.forEach((s, i) => {
      if (typeof s === 'string') out.push(s);
      else this.report(`${field}.${key}[${i}]`, `${field}.${key}[${i}] is ${typeName(s)}, not a string; it is left out`);
    });
    return out;
  }

  /** A map of strings (`nodeSelector`, labels); other values are reported and left out. */
  public stringMap(obj: JsonObject, key: string, field: string): Record<string, string> | undefined {
    const m = this.obj(obj, key, field);
    if (m === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else
        this.report(`${field}.${key}[${JSON.stringify(k)}]`, `${field}.${key}[${JSON.stringify(k)}] is ${typeName(v)}, not a string; it is left out`);
    }
    return out;
  }

  /** A resource list (`requests`, `limits`, `overhead`): string or number values. */
  public quantities(obj: JsonObject, key: string, field: string): Record<string, string | number> | undefined {
    const m = this.obj(obj, key, field);
    if (m === undefined) return undefined;
    const out: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string' || typeof v === 'number') out[k] = v;
      else
        this.report(
          `${field}.${key}[${JSON.stringify(k)}]`,
          `${field}.${key}[${JSON.stringify(k)}] is ${typeName(v)}, not a quantity; it is left out`,
        );
    }
    return out;
  }
}

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

function readHandler(r: Reader, lifecycle: JsonObject, key: 'postStart' | 'preStop', field: string): ReadHandler | undefined {
  const h = r.obj(lifecycle, key, field);
  if (h === undefined) return undefined;
  const path = `${field}.${key}`;
  const out: { -readonly [K in keyof LifecycleHandlerJson]: LifecycleHandlerJson[K] } = {};
  const exec = r.obj(h, 'exec', path);
  if (exec !== undefined) out.exec = { command: r.strings(exec, 'command', `${path}.exec`) };
  const httpGet = r.obj(h, 'httpGet', path);
  if (httpGet !== undefined) {
    const port = httpGet.port;
    out.httpGet = {
      path: r.str(httpGet, 'path', `${path}.httpGet`),
      host: r.str(httpGet, 'host', `${path}.httpGet`),
      scheme: r.str(httpGet, 'scheme', `${path}.httpGet`),
      port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
    };
  }
  const tcp = r.obj(h, 'tcpSocket', path);
  if (tcp !== undefined) out.tcpSocket = { port: typeof tcp.port === 'number' || typeof tcp.port === 'string' ? tcp.port : undefined };
  const sleep = r.obj(h, 'sleep', path);
  if (sleep !== undefined) out.sleep = { seconds: r.seconds(sleep, 'seconds', `${path}.sleep`) };
  return out;
}

/** Reads one container; `item` is the raw list item. */
export function readContainer(r: Reader, item: unknown, list: ReadContainer['list'], index: number, podSpecField: string): ReadContainer | undefined {
  const field = `${podSpecField}.${list}[${index}]`;
  if (!isObject(item)) {
    r.report(field, `${field} is ${typeName(item)}, not a container object; it is left out`);
    return undefined;
  }
  const env: ReadEnvVar[] = [];
  r.list(item, 'env', field).forEach((e, i) => {
    const at = `${field}.env[${i}]`;
    if (!isObject(e)) {
      r.report(at, `${at} is ${typeName(e)}, not an env entry; it is left out`);
      return;
    }
    const name = r.str(e, 'name', at);
    if (name === undefined) {
      r.report(`${at}.name`, `${at} has no name; it is left out`);
      return;
    }
    env.push({ index: i, name, value: r.str(e, 'value', at), valueFrom: r.obj(e, 'valueFrom', at) });
  });
  const envFrom: ReadEnvFrom[] = [];
  r.list(item, 'envFrom', field).forEach((e, i) => {
    const at = `${field}.envFrom[${i}]`;
    if (!isObject(e)) {
      r.report(at, `${at} is ${typeName(e)}, not an envFrom source; it is left out`);
      return;
    }
    const prefix = r.str(e, 'prefix', at) ?? '';
    for (const ref of ['configMapRef', 'secretRef'] as const) {
      const src = r.obj(e, ref, at);
      if (src === undefined) continue;
      envFrom.push({
        index: i,
        ref,
        name: r.str(src, 'name', `${at}.${ref}`) ?? '',
        prefix,
        optional: r.bool(src, 'optional', `${at}.${ref}`) ?? false,
      });
      return;
    }
    r.report(at, `${at} has neither configMapRef nor secretRef; it is left out`);
  });
  const lifecycle = r.obj(item, 'lifecycle', field);
  const resources = r.obj(item, 'resources', field);
  return {
    list,
    index,
    field,
    name: r.str(item, 'name', field) ?? '',
    image: r.str(item, 'image', field),
    imagePullPolicy: r.str(item, 'imagePullPolicy', field),
    command: r.strings(item, 'command', field),
    args: r.strings(item, 'args', field),
    env,
    envFrom,
    postStart: lifecycle ? readHandler(r, lifecycle, 'postStart', `${field}.lifecycle`) : undefined,
    preStop: lifecycle ? readHandler(r, lifecycle, 'preStop', `${field}.lifecycle`) : undefined,
    restartPolicy: r.str(item, 'restartPolicy', field),
    requests: resources ? r.quantities(resources, 'requests', `${field}.resources`) : undefined,
    limits: resources ? r.quantities(resources, 'limits', `${field}.resources`) : undefined,
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

/** `tolerations`, with only the fields of a toleration of the right types. */
function readTolerations(r: Reader, spec: JsonObject, field: string): JsonObject[] {
  const out: JsonObject[] = [];
  r.list(spec, 'tolerations', field).forEach((t, i) => {
    const at = `${field}.tolerations[${i}]`;
    if (!isObject(t)) {
      r.report(at, `${at} is ${typeName(t)}, not a toleration; it is left out`);
      return;
    }
    const o: JsonObject = {};
    for (const k of ['key', 'operator', 'value', 'effect']) {
      const v = r.str(t, k, at);
      if (v !== undefined) o[k] = v;
    }
    const seconds = t.tolerationSeconds;
    if (typeof seconds === 'number' && Number.isInteger(seconds)) o.tolerationSeconds = seconds;
    else if (seconds !== undefined && seconds !== null)
      r.report(`${at}.tolerationSeconds`, `${at}.tolerationSeconds is not a whole number; it is left out`);
    out.push(o);
  });
  return out;
}

/** Reads a pod spec at `field` (e.g. `spec.template.spec`). */
export function readPodSpec(r: Reader, spec: JsonObject, field: string): ReadPodSpec {
  const containers: ReadContainer[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    r.list(spec, list, field).forEach((item, i) => {
      const c = readContainer(r, item, list, i, field);
      if (c) containers.push(c);
    });
  }
  const tolerations = spec.tolerations === undefined ? undefined : readTolerations(r, spec, field);
  return {
    containers,
    enableServiceLinks: r.bool(spec, 'enableServiceLinks', field),
    runtimeClassName: r.str(spec, 'runtimeClassName', field),
    terminationGracePeriodSeconds: r.seconds(spec, 'terminationGracePeriodSeconds', field),
    nodeSelector: r.stringMap(spec, 'nodeSelector', field),
    tolerations,
    overhead: r.quantities(spec, 'overhead', field),
    hostname: r.str(spec, 'hostname', field),
    subdomain: r.str(spec, 'subdomain', field),
    setHostnameAsFQDN: r.bool(spec, 'setHostnameAsFQDN', field),
    hostNetwork: r.bool(spec, 'hostNetwork', field),
    serviceAccountName: r.str(spec, 'serviceAccountName', field) ?? r.str(spec, 'serviceAccount', field),
    nodeName: r.str(spec, 'nodeName', field),
  };
}

/**
 * The judge's first step, and the only place that reads raw JSON: any object → its pod subjects → a typed pod spec.
 *
 * Every field a rule reads is checked here for its JSON type. A field of the wrong type is what the API server
 * refuses while decoding the object (`json: cannot unmarshal bool into Go struct field EnvVar.value of type string`),
 * so it becomes a finding of the `field-type-invalid` rule, and the field is left out of the typed spec the rules
 * read: the object's other fields, and the other objects, are still judged. Nothing after this step throws on input.
 *
 * The typed spec is the input itself when every field has its type (the common case costs no copy); a copy without
 * the offending fields otherwise.
 */
import type {
  ContainerJson,
  ContainerKind,
  EnvVarJson,
  JsonObject,
  LifecycleHandlerJson,
  LifecycleJson,
  PodSpecJson,
  RuntimeClassFacts,
  ServiceFacts,
} from '../k8s/shapes';
import { HOOK_POSITIONS } from '../k8s/shapes';
import type { RuleFinding } from './types';

/** Whether `x` is a JSON object (not null, not a list). */
export function isJsonObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

// ---- JSON types ----------------------------------------------------------------------------------------------------

/** The JSON types a field can be required to have. */
type Expected = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'list' | 'int-or-string' | 'quantity';

const EXPECTED_TEXT: Readonly<Record<Expected, string>> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'a map',
  list: 'a list',
  'int-or-string': 'a number or a string',
  quantity: 'a quantity (a string like "250m" or a number)',
};

function hasType(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isJsonObject(value);
    case 'list':
      return Array.isArray(value);
    case 'int-or-string':
      return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
    case 'quantity':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  }
}

/** `the boolean true`, `the number 9080`, `a map`, ... for messages. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'number':
      return `the number ${value}`;
    case 'object':
      return 'a map';
    default:
      return `a ${typeof value}`;
  }
}

function fixFor(value: unknown, expected: Expected, written: string | undefined): string {
  if ((expected === 'string' || expected === 'int-or-string') && (typeof value === 'boolean' || typeof value === 'number')) {
    const quoted = written !== undefined ? `, e.g. ${JSON.stringify(written)}` : '';
    return (
      `quote the value in the YAML${quoted}: unquoted yes, no, on, off, true, false and numbers are not strings to Kubernetes ` +
      '(kubectl reads YAML 1.1)'
    );
  }
  if (expected === 'list' && isJsonObject(value)) return 'write the entries as a list ("- name: ..."), not as a map';
  if (expected === 'integer' && typeof value === 'string' && /^\d+$/.test(value.trim())) return 'remove the quotes: it is a number';
  if (expected === 'boolean' && typeof value === 'string') return 'write true or false without quotes';
  return `give ${EXPECTED_TEXT[expected]}`;
}

function prefix(container: string | undefined): string {
  return container !== undefined ? `container ${JSON.stringify(container)}: ` : '';
}

/** Collects `field-type-invalid` findings while the object is read. */
class Problems {
  public readonly list: RuleFinding[] = [];

  constructor(private readonly plainAt?: (field: string) => string | undefined) {}

  /** Reports `field` (a path from the object root) whose value does not have the `expected` type. */
  public wrongType(field: string, value: unknown, expected: Expected, container?: string): void {
    // the text as written, when the reader knows it: `yes` is what the author wrote for the boolean true
    // only when it differs from the value's own text, so a manifest read from YAML and the same object built in memory
    // get the same message unless YAML 1.1 changed what was written
    const read = typeof value === 'boolean' || typeof value === 'number' ? this.plainAt?.(field) : undefined;
    const plain = read !== undefined && read !== String(value) ? read : undefined;
    const written = plain !== undefined ? ` (written ${plain})` : '';
    this.list.push({
      field,
      ...(container !== undefined ? { container } : {}),
      message:
        `${prefix(container)}${field} must be ${EXPECTED_TEXT[expected]}, found ${describeJsonValue(value)}${written}, ` +
        `so the API server refuses the object when it decodes it; ${fixFor(value, expected, plain)}`,
    });
  }

  /** Reports a list element that is `null`. */
  public nullElement(field: string, container?: string): void {
    this.list.push({
      field,
      ...(container !== undefined ? { container } : {}),
      message: `${prefix(container)}${field} is null, which decodes to an empty entry that the API server refuses; remove it`,
    });
  }
}

/**
 * Whether an element of a list of objects (`env[2]`, `ports[0]`, `containers[1]`) is an object; when it is not,
 * the problem is reported (a `null` element, or one of another type).
 */
function isObjectElement(e: unknown, field: string, problems: Problems, container?: string): e is JsonObject {
  if (isJsonObject(e)) return true;
  if (e === null) problems.nullElement(field, container);
  else problems.wrongType(field, e, 'object', container);
  return false;
}

/**
 * Reads `obj[key]` as the expected type: the value when it has it; `undefined` when absent or `null` (JSON null is an
 * absent field to Kubernetes); otherwise reports it and returns `undefined`.
 */
function read<T>(obj: JsonObject, key: string, expected: Expected, field: string, problems: Problems, container?: string): T | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (hasType(value, expected)) return value as T;
  problems.wrongType(field, value, expected, container);
  return undefined;
}

/** A map whose values must all have one type; entries of another type are reported and left out. */
function readMap<T>(
  obj: JsonObject,
  key: string,
  valueType: Expected,
  field: string,
  problems: Problems,
  container?: string,
): Readonly<Record<string, T>> | undefined {
  const map = read<JsonObject>(obj, key, 'object', field, problems, container);
  if (map === undefined) return undefined;
  let out: Record<string, T> | undefined;
  for (const k in map) {
    const v = map[k];
    if (v !== null && !hasType(v, valueType)) {
      problems.wrongType(`${field}[${JSON.stringify(k)}]`, v, valueType, container);
      out ??= { ...(map as Record<string, T>) };
      delete out[k];
    } else if (v === null) {
      out ??= { ...(map as Record<string, T>) };
      delete out[k];
    }
  }
  return out ?? (map as Record<string, T>);
}

// ---- containers ----------------------------------------------------------------------------------------------------

/** An `env[]` entry with its index, as the rules read it. */
export interface EnvRef {
  /** Index in the container's `env`. */
  readonly index: number;
  /** The variable name (`""` when absent: the API server requires one). */
  readonly name: string;
  /**
   * The literal value.
   *
   * @default - none
   */
  readonly value?: string;
  /**
   * The `valueFrom` source, a map.
   *
   * @default - none
   */
  readonly valueFrom?: JsonObject;
}

/** An `envFrom[]` entry with its index, as the rules read it. */
export interface EnvFromRef {
  /** Index in the container's `envFrom`. */
  readonly index: number;
  /**
   * The prefix prepended to every key.
   *
   * @default - none
   */
  readonly prefix?: string;
  /**
   * The ConfigMap source (`name`, `optional`).
   *
   * @default - none
   */
  readonly configMapRef?: JsonObject;
  /**
   * The Secret source (`name`, `optional`).
   *
   * @default - none
   */
  readonly secretRef?: JsonObject;
}

/** A container with its list, index and field path, its fields type-checked. */
export interface ContainerRef {
  /** The container's fields, each of its declared type (wrong-typed fields are left out and reported). */
  readonly container: ContainerJson;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: ContainerKind;
  /** Index in its list. */
  readonly index: number;
  /** Field path of the container, e.g. `spec.containers[0]`. */
  readonly path: string;
  /** The container's name (`undefined` when absent or not a string). */
  readonly name: string | undefined;
  /** `env` entries, with their indexes. */
  readonly env: readonly EnvRef[];
  /** `envFrom` entries, with their indexes. */
  readonly envFrom: readonly EnvFromRef[];
  /** Fields of the container (`image`, `env`, ...) that had the wrong JSON type and were reported. */
  readonly malformed: ReadonlySet<string>;
}

const NO_FIELDS: ReadonlySet<string> = new Set();

/** `init container "x"`, `container "x"` or `ephemeral container "x"`, for messages. */
export function describeContainer(ref: Pick<ContainerRef, 'list' | 'name' | 'path'>): string {
  const kind = ref.list === 'initContainers' ? 'init container' : ref.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return ref.name !== undefined && ref.name !== '' ? `${kind} ${JSON.stringify(ref.name)}` : `${kind} at ${ref.path} (no name)`;
}

function readStringList(
  obj: JsonObject,
  key: string,
  field: string,
  problems: Problems,
  container: string | undefined,
): readonly string[] | undefined {
  const list = read<unknown[]>(obj, key, 'list', field, problems, container);
  if (list === undefined) return undefined;
  let ok = true;
  list.forEach((s, i) => {
    if (typeof s !== 'string') {
      problems.wrongType(`${field}[${i}]`, s, 'string', container);
      ok = false;
    }
  });
  return ok ? (list as string[]) : (list.filter((s) => typeof s === 'string') as string[]);
}

function readHandler(raw: unknown, field: string, problems: Problems, container: string | undefined): LifecycleHandlerJson | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isJsonObject(raw)) {
    problems.wrongType(field, raw, 'object', container);
    return undefined;
  }
  let out: Record<string, unknown> | undefined;
  const replace = (key: string, value: unknown): void => {
    out ??= { ...raw };
    if (value === undefined) delete out[key];
    else out[key] = value;
  };
  const exec = read<JsonObject>(raw, 'exec', 'object', `${field}.exec`, problems, container);
  if (exec === undefined && raw.exec !== undefined) replace('exec', undefined);
  if (exec !== undefined) {
    const command = readStringList(exec, 'command', `${field}.exec.command`, problems, container);
    if (command !== exec.command) replace('exec', { ...exec, command });
  }
  for (const key of ['httpGet', 'tcpSocket'] as const) {
    const action = read<JsonObject>(raw, key, 'object', `${field}.${key}`, problems, container);
    if (action === undefined) {
      if (raw[key] !== undefined) replace(key, undefined);
      continue;
    }
    let copy: JsonObject | undefined;
    const drop = (k: string): void => {
      copy ??= { ...action };
      delete copy[k];
    };
    if (action.port !== undefined && read(action, 'port', 'int-or-string', `${field}.${key}.port`, problems, container) === undefined) drop('port');
    for (const k of key === 'httpGet' ? ['path', 'host', 'scheme'] : ['host']) {
      if (action[k] !== undefined && read(action, k, 'string', `${field}.${key}.${k}`, problems, container) === undefined) drop(k);
    }
    if (key === 'httpGet' && action.httpHeaders !== undefined) {
      const headers = read<unknown[]>(action, 'httpHeaders', 'list', `${field}.httpGet.httpHeaders`, problems, container);
      if (headers === undefined) drop('httpHeaders');
      else {
        const good = headers.filter((h, i) => {
          const hf = `${field}.httpGet.httpHeaders[${i}]`;
          if (!isJsonObject(h)) {
            problems.wrongType(hf, h, 'object', container);
            return false;
          }
          const name = read(h, 'name', 'string', `${hf}.name`, problems, container);
          const value = read(h, 'value', 'string', `${hf}.value`, problems, container);
          return (name !== undefined || h.name === undefined) && (value !== undefined || h.value === undefined || h.value === null);
        });
        if (good.length !== headers.length) {
          copy ??= { ...action };
          copy.httpHeaders = good;
        }
      }
    }
    if (copy !== undefined) replace(key, copy);
  }
  const sleep = read<JsonObject>(raw, 'sleep', 'object', `${field}.sleep`, problems, container);
  if (sleep === undefined && raw.sleep !== undefined && raw.sleep !== null) replace('sleep', undefined);
  if (
    sleep !== undefined &&
    sleep.seconds !== undefined &&
    read(sleep, 'seconds', 'integer', `${field}.sleep.seconds`, problems, container) === undefined
  ) {
    replace('sleep', { ...sleep, seconds: undefined });
  }
  return (out ?? raw) as LifecycleHandlerJson;
}

function readLifecycle(c: JsonObject, field: string, problems: Problems, container: string | undefined): LifecycleJson | undefined {
  const lifecycle = read<JsonObject>(c, 'lifecycle', 'object', field, problems, container);
  if (lifecycle === undefined) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const position of HOOK_POSITIONS) {
    const raw = lifecycle[position];
    const handler = readHandler(raw, `${field}.${position}`, problems, container);
    if (handler !== raw && !(handler === undefined && raw === null)) {
      out ??= { ...lifecycle };
      if (handler === undefined) delete out[position];
      else out[position] = handler;
    }
  }
  return (out ?? lifecycle) as LifecycleJson;
}

/**
 * The edits of an object being read: a copy made on the first edit (the input itself is never changed), and the
 * fields reported as malformed. Created only when something must be edited, so a well-typed object costs nothing.
 */
class Edits {
  /** The copy, made on the first `set`. */
  public copy?: Record<string, unknown>;
  public readonly malformed = new Set<string>();

  constructor(private readonly raw: JsonObject) {}

  /** Replaces a field of the copy (`undefined` removes it). */
  public set(key: string, value: unknown): void {
    this.copy ??= { ...this.raw };
    if (value === undefined) delete this.copy[key];
    else this.copy[key] = value;
  }
}

/** The string fields of a container that rules read. */
const CONTAINER_SCALARS: readonly string[] = ['image', 'imagePullPolicy', 'restartPolicy'];

const ARGV_KEYS = ['command', 'args'] as const;

/** Whether an `env[]` entry is a map whose name, value and valueFrom are of their types (`null` name excepted). */
function isWellTypedEnv(e: unknown): e is JsonObject {
  if (!isJsonObject(e)) return false;
  const { name, value, valueFrom } = e;
  return (
    (name === undefined || typeof name === 'string') &&
    (value === undefined || value === null || typeof value === 'string') &&
    (valueFrom === undefined || valueFrom === null || isJsonObject(valueFrom))
  );
}

/** The `EnvRef` of an entry (objects of fixed shapes: no key for an absent value or valueFrom). */
function envRef(index: number, name: string, value: string | undefined, valueFrom: JsonObject | undefined): EnvRef {
  if (value !== undefined) return valueFrom !== undefined ? { index, name, value, valueFrom } : { index, name, value };
  return valueFrom !== undefined ? { index, name, valueFrom } : { index, name };
}

/** Whether an `envFrom[]` entry is a map whose prefix, configMapRef and secretRef are of their types. */
function isWellTypedEnvFrom(e: unknown): e is JsonObject {
  if (!isJsonObject(e)) return false;
  const { prefix, configMapRef, secretRef } = e;
  return (
    (prefix === undefined || prefix === null || typeof prefix === 'string') &&
    (configMapRef === undefined || configMapRef === null || isJsonObject(configMapRef)) &&
    (secretRef === undefined || secretRef === null || isJsonObject(secretRef))
  );
}

function envFromRef(index: number, e: JsonObject): EnvFromRef {
  const prefix = typeof e.prefix === 'string' ? e.prefix : undefined;
  const configMapRef = isJsonObject(e.configMapRef) ? e.configMapRef : undefined;
  const secretRef = isJsonObject(e.secretRef) ? e.secretRef : undefined;
  return {
    index,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(configMapRef !== undefined ? { configMapRef } : {}),
    ...(secretRef !== undefined ? { secretRef } : {}),
  };
}

/** Whether a `ports[]` entry is a map whose containerPort, name and protocol are of their types. */
function isWellTypedPort(p: unknown): boolean {
  if (!isJsonObject(p)) return false;
  const { containerPort, name, protocol } = p;
  return (
    (containerPort === undefined || containerPort === null || (typeof containerPort === 'number' && Number.isInteger(containerPort))) &&
    (name === undefined || name === null || typeof name === 'string') &&
    (protocol === undefined || protocol === null || typeof protocol === 'string')
  );
}

/** Whether every value of a map is `valueType` (no `null` either): `readMap` would return the map itself. */
function isWellTypedMap(map: unknown, valueType: Expected): boolean {
  if (!isJsonObject(map)) return false;
  for (const k in map) if (!hasType(map[k], valueType)) return false;
  return true;
}

function readContainer(raw: JsonObject, list: ContainerKind, index: number, specPath: string, problems: Problems): ContainerRef {
  const path = `${specPath}.${list}[${index}]`;
  const nameValue = raw.name;
  const name = typeof nameValue === 'string' ? nameValue : undefined;
  if (nameValue !== undefined && nameValue !== null && name === undefined) problems.wrongType(`${path}.name`, nameValue, 'string');
  let edits: Edits | undefined;
  if (name === undefined && nameValue !== undefined) {
    edits = new Edits(raw);
    edits.malformed.add('name');
    edits.set('name', undefined);
  }
  for (let k = 0; k < CONTAINER_SCALARS.length; k++) {
    const key = CONTAINER_SCALARS[k];
    const expected: Expected = 'string';
    const v = raw[key];
    if (v === undefined) continue;
    if (v === null) {
      (edits ??= new Edits(raw)).set(key, undefined);
    } else if (!hasType(v, expected)) {
      problems.wrongType(`${path}.${key}`, v, expected, name);
      edits ??= new Edits(raw);
      edits.malformed.add(key);
      edits.set(key, undefined);
    }
  }
  for (let k = 0; k < ARGV_KEYS.length; k++) {
    const key = ARGV_KEYS[k];
    const given = raw[key];
    if (given === undefined || (Array.isArray(given) && given.every((a) => typeof a === 'string'))) continue;
    const value = readStringList(raw, key, `${path}.${key}`, problems, name);
    if (value !== given) {
      edits ??= new Edits(raw);
      if (value === undefined || !Array.isArray(given)) edits.malformed.add(key);
      edits.set(key, value);
    }
  }

  // env: well-typed entries are read without a field path; the others are reported
  const env: EnvRef[] = [];
  let cleanEnv = false;
  const rawEnvValue = raw.env;
  if (Array.isArray(rawEnvValue)) {
    cleanEnv = true;
    for (let i = 0; i < rawEnvValue.length; i++) {
      const e: unknown = rawEnvValue[i];
      if (isWellTypedEnv(e)) {
        env.push(
          envRef(
            i,
            (e.name as string | undefined) ?? '',
            (e.value ?? undefined) as string | undefined,
            (e.valueFrom ?? undefined) as JsonObject | undefined,
          ),
        );
        continue;
      }
      cleanEnv = false;
      const ef = `${path}.env[${i}]`;
      if (!isObjectElement(e, ef, problems, name)) continue;
      const envName = read<string>(e, 'name', 'string', `${ef}.name`, problems, name);
      const value = read<string>(e, 'value', 'string', `${ef}.value`, problems, name);
      const valueFrom = read<JsonObject>(e, 'valueFrom', 'object', `${ef}.valueFrom`, problems, name);
      // a wrong-typed name is reported above; the entry is still read so its value is judged
      env.push(envRef(i, envName ?? '', value, valueFrom));
      if (e.name !== undefined && envName === undefined) (edits ??= new Edits(raw)).malformed.add(`env[${i}].name`);
    }
  } else if (rawEnvValue !== undefined && rawEnvValue !== null) {
    problems.wrongType(`${path}.env`, rawEnvValue, 'list', name);
    (edits ??= new Edits(raw)).malformed.add('env');
  }

  const envFrom: EnvFromRef[] = [];
  const rawEnvFromValue = raw.envFrom;
  let rawEnvFrom: unknown[] | undefined;
  if (Array.isArray(rawEnvFromValue)) {
    rawEnvFrom = rawEnvFromValue;
    for (let i = 0; i < rawEnvFromValue.length; i++) {
      const e: unknown = rawEnvFromValue[i];
      if (isWellTypedEnvFrom(e)) {
        envFrom.push(envFromRef(i, e));
        continue;
      }
      const ef = `${path}.envFrom[${i}]`;
      if (!isObjectElement(e, ef, problems, name)) continue;
      const prefix = read<string>(e, 'prefix', 'string', `${ef}.prefix`, problems, name);
      const configMapRef = read<JsonObject>(e, 'configMapRef', 'object', `${ef}.configMapRef`, problems, name);
      const secretRef = read<JsonObject>(e, 'secretRef', 'object', `${ef}.secretRef`, problems, name);
      envFrom.push({
        index: i,
        ...(prefix !== undefined ? { prefix } : {}),
        ...(configMapRef !== undefined ? { configMapRef } : {}),
        ...(secretRef !== undefined ? { secretRef } : {}),
      });
    }
  } else if (rawEnvFromValue !== undefined && rawEnvFromValue !== null) {
    problems.wrongType(`${path}.envFrom`, rawEnvFromValue, 'list', name);
  }

  const rawPorts = raw.ports;
  if (rawPorts !== undefined && !(Array.isArray(rawPorts) && rawPorts.every(isWellTypedPort))) {
    const ports = read<unknown[]>(raw, 'ports', 'list', `${path}.ports`, problems, name);
    if (ports === undefined) (edits ??= new Edits(raw)).set('ports', undefined);
    else {
      const good = ports.filter((p, i) => {
        const pf = `${path}.ports[${i}]`;
        if (!isObjectElement(p, pf, problems, name)) return false;
        const port = read(p, 'containerPort', 'integer', `${pf}.containerPort`, problems, name);
        const pname = read(p, 'name', 'string', `${pf}.name`, problems, name);
        const protocol = read(p, 'protocol', 'string', `${pf}.protocol`, problems, name);
        return (
          (port !== undefined || p.containerPort == null) && (pname !== undefined || p.name == null) && (protocol !== undefined || p.protocol == null)
        );
      });
      if (good.length !== ports.length) (edits ??= new Edits(raw)).set('ports', good);
    }
  }
  if (raw.lifecycle !== undefined) {
    const lifecycle = readLifecycle(raw, `${path}.lifecycle`, problems, name);
    if (lifecycle !== raw.lifecycle) {
      edits ??= new Edits(raw);
      if (lifecycle === undefined && raw.lifecycle !== null) edits.malformed.add('lifecycle');
      edits.set('lifecycle', lifecycle);
    }
  }
  const rawResources = raw.resources;
  if (
    rawResources !== undefined &&
    !(
      isJsonObject(rawResources) &&
      (rawResources.requests === undefined || isWellTypedMap(rawResources.requests, 'quantity')) &&
      (rawResources.limits === undefined || isWellTypedMap(rawResources.limits, 'quantity'))
    )
  ) {
    const resources = read<JsonObject>(raw, 'resources', 'object', `${path}.resources`, problems, name);
    if (resources === undefined) (edits ??= new Edits(raw)).set('resources', undefined);
    else {
      const requests = readMap(resources, 'requests', 'quantity', `${path}.resources.requests`, problems, name);
      const limits = readMap(resources, 'limits', 'quantity', `${path}.resources.limits`, problems, name);
      if (requests !== resources.requests || limits !== resources.limits)
        (edits ??= new Edits(raw)).set('resources', { ...resources, requests, limits });
    }
  }
  // env and envFrom are read through the refs; the container copy keeps the well-typed entries for domain functions
  if (raw.env !== undefined && !cleanEnv)
    (edits ??= new Edits(raw)).set(
      'env',
      env.map(({ index: _index, ...e }) => e as EnvVarJson),
    );
  if (raw.envFrom !== undefined && (rawEnvFrom === undefined || envFrom.length !== rawEnvFrom.length)) {
    (edits ??= new Edits(raw)).set(
      'envFrom',
      envFrom.map(({ index: _index, ...e }) => e),
    );
  }
  return {
    container: (edits?.copy ?? raw) as ContainerJson,
    list,
    index,
    path,
    name,
    env,
    envFrom,
    malformed: edits !== undefined && edits.malformed.size > 0 ? edits.malformed : NO_FIELDS,
  };
}

// ---- pod subjects --------------------------------------------------------------------------------------------------

/** One object whose pod spec is judged: a Pod, or a workload (built-in or custom) with a pod template. */
export interface PodSubject {
  /** `Pod`, `Deployment`, `CronJob`, `Rollout`, ... */
  readonly kind: string;
  /** `metadata.name` of the object (or `metadata.generateName`, or `""`). */
  readonly name: string;
  /**
   * `metadata.namespace` of the object.
   *
   * @default - not set (the namespace the manifest is applied to, usually `default`)
   */
  readonly namespace?: string;
  /** String-valued annotations of the object merged with those of its templates (suppressions are read from here). */
  readonly annotations: Readonly<Record<string, string>>;
  /** The pod spec, its fields type-checked (containers are read through `containers`). */
  readonly spec: PodSpecJson;
  /** Where the pod spec sits in the object, e.g. `spec` or `spec.template.spec`. */
  readonly podSpecPath: string;
  /** Whether the object is a Pod (true) or a template that creates Pods (false). */
  readonly isPod: boolean;
  /** Every container: init containers, regular containers, ephemeral containers, in that order. */
  readonly containers: readonly ContainerRef[];
  /** `field-type-invalid` findings of this subject (without rule id and severity). */
  readonly problems: readonly RuleFinding[];
  /**
   * Names of the containers whose image is not the one written: an OpenShift `DeploymentConfig` `ImageChange` trigger
   * names them and fills in the image of its ImageStreamTag (see `imageChangeContainers`).
   *
   * @default - none
   */
  readonly imageFromTrigger?: ReadonlySet<string>;
}

/** Where the pod spec sits in a workload, and the metadata whose annotations apply to its pods (outermost first). */
interface WorkloadShape {
  readonly spec: readonly string[];
  readonly templateMeta: readonly (readonly string[])[];
  /** `spec` as a field path, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** The field paths of the annotations of `templateMeta`, e.g. `spec.template.metadata.annotations`. */
  readonly templateAnnotationFields: readonly string[];
}

function workloadShape(spec: readonly string[], templateMeta: readonly (readonly string[])[]): WorkloadShape {
  return { spec, templateMeta, specPath: spec.join('.'), templateAnnotationFields: templateMeta.map((m) => `${m.join('.')}.annotations`) };
}

const TEMPLATE: WorkloadShape = workloadShape(['spec', 'template', 'spec'], [['spec', 'template', 'metadata']]);
const JOB_TEMPLATE: WorkloadShape = workloadShape(
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  [
    ['spec', 'jobTemplate', 'metadata'],
    ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  ],
);
const POD: WorkloadShape = workloadShape(['spec'], []);

/** The built-in kinds that hold a pod spec, with the API groups that serve them. */
const BUILT_IN_WORKLOADS: Readonly<Record<string, { readonly groups: readonly string[]; readonly shape: WorkloadShape }>> = {
  Pod: { groups: [''], shape: POD },
  ReplicationController: { groups: [''], shape: TEMPLATE },
  PodTemplate: { groups: [''], shape: workloadShape(['template', 'spec'], [['template', 'metadata']]) },
  Deployment: { groups: ['apps', 'extensions'], shape: TEMPLATE },
  StatefulSet: { groups: ['apps'], shape: TEMPLATE },
  DaemonSet: { groups: ['apps', 'extensions'], shape: TEMPLATE },
  ReplicaSet: { groups: ['apps', 'extensions'], shape: TEMPLATE },
  Job: { groups: ['batch'], shape: TEMPLATE },
  CronJob: { groups: ['batch'], shape: JOB_TEMPLATE },
};

/**
 * Where the pod spec of a built-in kind sits, and the metadata whose annotations apply to its pods (outermost
 * first); `undefined` for a kind that holds none. Admission policies reach the pod spec by the same paths.
 */
export function builtInPodPaths(
  kind: string,
): { readonly spec: readonly string[]; readonly templateMeta: readonly (readonly string[])[] } | undefined {
  if (!Object.prototype.hasOwnProperty.call(BUILT_IN_WORKLOADS, kind)) return undefined;
  const { spec, templateMeta } = BUILT_IN_WORKLOADS[kind].shape;
  return { spec, templateMeta };
}

/**
 * API groups of Kubernetes itself. An object of these groups that is not one of the workloads above holds no pod
 * spec; an object of any other group (a custom resource) is searched for a pod template by shape.
 */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'extensions',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'certificates.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'apiregistration.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'resource.k8s.io',
  'internal.apiserver.k8s.io',
  'storagemigration.k8s.io',
]);

function at(obj: JsonObject, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** `apps` for `apps/v1`, `''` for `v1`, `undefined` when absent or not a string. */
function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** What kind of object this is for the judge. */
export enum ObjectRole {
  /** A Pod or a workload with a pod template: judged. */
  POD = 'pod',
  /** A built-in object without a pod spec (ConfigMap, Service, Role, ...): nothing to judge. */
  NO_POD_SPEC = 'no-pod-spec',
  /** A custom resource in which no pod template was found: not judged, and reported as such. */
  NOT_JUDGED = 'not-judged',
  /** Not a Kubernetes object (no `kind`/`apiVersion`). */
  NOT_AN_OBJECT = 'not-an-object',
}

/** The shape of the pod spec of `obj`, or why it has none. */
function shapeOf(obj: JsonObject): WorkloadShape | ObjectRole {
  const kind = obj.kind;
  if (kind === 'Pod' && obj.apiVersion === 'v1') return POD;
  const group = groupOf(obj.apiVersion);
  if (typeof kind !== 'string' || kind === '' || group === undefined) return ObjectRole.NOT_AN_OBJECT;
  const builtIn = Object.prototype.hasOwnProperty.call(BUILT_IN_WORKLOADS, kind) ? BUILT_IN_WORKLOADS[kind] : undefined;
  if (builtIn && builtIn.groups.includes(group)) return builtIn.shape;
  // any other kind: a pod template wherever the built-in workloads keep theirs (Argo Rollout, DeploymentConfig, ...),
  // also under a built-in group, where no Kubernetes kind has one: OpenShift 3 wrote its DeploymentConfig as `v1`
  if (Array.isArray(at(obj, [...TEMPLATE.spec, 'containers']))) return TEMPLATE;
  if (Array.isArray(at(obj, [...JOB_TEMPLATE.spec, 'containers']))) return JOB_TEMPLATE;
  return BUILT_IN_GROUPS.has(group) ? ObjectRole.NO_POD_SPEC : ObjectRole.NOT_JUDGED;
}

/** How the judge sees an object: judged for its pod spec, a built-in object without one, or a custom resource it skips. */
export function roleOf(obj: unknown): ObjectRole {
  if (!isJsonObject(obj)) return ObjectRole.NOT_AN_OBJECT;
  const shape = shapeOf(obj);
  return typeof shape === 'string' ? shape : ObjectRole.POD;
}

/** Reads the string annotations of `metadata` (its field path `field`) into `into`; other values are reported. */
function annotationsAt(metadata: unknown, field: string, into: Record<string, string>, problems: Problems): void {
  if (!isJsonObject(metadata) || metadata.annotations === undefined) return;
  const ann = read<JsonObject>(metadata, 'annotations', 'object', field, problems);
  if (ann === undefined) return;
  for (const k in ann) {
    const v = ann[k];
    if (typeof v === 'string') into[k] = v;
    else if (v !== null) problems.wrongType(`${field}[${JSON.stringify(k)}]`, v, 'string');
  }
}

/** The fields of a pod spec that rules and explain read, and their types. */
const POD_SCALARS: ReadonlyArray<{ readonly key: string; readonly expected: Expected }> = [
  { key: 'enableServiceLinks', expected: 'boolean' },
  { key: 'runtimeClassName', expected: 'string' },
  { key: 'terminationGracePeriodSeconds', expected: 'integer' },
  { key: 'hostname', expected: 'string' },
  { key: 'subdomain', expected: 'string' },
  { key: 'restartPolicy', expected: 'string' },
  { key: 'tolerations', expected: 'list' },
  { key: 'imagePullSecrets', expected: 'list' },
  // read by explain (hostname, downward API values)
  { key: 'setHostnameAsFQDN', expected: 'boolean' },
  { key: 'hostNetwork', expected: 'boolean' },
  { key: 'serviceAccountName', expected: 'string' },
  { key: 'serviceAccount', expected: 'string' },
  { key: 'nodeName', expected: 'string' },
];

/** The maps of a pod spec that rules read, and the type of their values. */
const POD_MAPS: ReadonlyArray<{ readonly key: string; readonly expected: Expected }> = [
  { key: 'nodeSelector', expected: 'string' },
  { key: 'overhead', expected: 'quantity' },
];

const CONTAINER_LISTS: readonly ContainerKind[] = ['initContainers', 'containers', 'ephemeralContainers'];

function readPodSpec(raw: JsonObject, specPath: string, problems: Problems): { spec: PodSpecJson; containers: ContainerRef[] } {
  let edits: Edits | undefined;
  for (let k = 0; k < POD_SCALARS.length; k++) {
    const { key, expected } = POD_SCALARS[k];
    const v = raw[key];
    if (v === undefined) continue;
    if (v === null) (edits ??= new Edits(raw)).set(key, undefined);
    else if (!hasType(v, expected)) {
      problems.wrongType(`${specPath}.${key}`, v, expected);
      (edits ??= new Edits(raw)).set(key, undefined);
    }
  }
  for (let k = 0; k < POD_MAPS.length; k++) {
    const { key, expected: valueType } = POD_MAPS[k];
    const given = raw[key];
    if (given === undefined || isWellTypedMap(given, valueType)) continue;
    const map = readMap(raw, key, valueType, `${specPath}.${key}`, problems);
    if (map !== given) (edits ??= new Edits(raw)).set(key, map);
  }
  const containers: ContainerRef[] = [];
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const list = CONTAINER_LISTS[l];
    const value = raw[list];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      problems.wrongType(`${specPath}.${list}`, value, 'list');
      (edits ??= new Edits(raw)).set(list, undefined);
      continue;
    }
    // the typed list is the input list until an entry differs
    let typed: ContainerJson[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const c: unknown = value[i];
      if (!isObjectElement(c, `${specPath}.${list}[${i}]`, problems)) {
        typed ??= (value as ContainerJson[]).slice(0, i);
        continue;
      }
      const ref = readContainer(c, list, i, specPath, problems);
      if (ref.container !== c) typed ??= (value as ContainerJson[]).slice(0, i);
      typed?.push(ref.container);
      containers.push(ref);
    }
    if (typed !== undefined) (edits ??= new Edits(raw)).set(list, typed);
  }
  return { spec: (edits?.copy ?? raw) as PodSpecJson, containers };
}

/**
 * The containers of an OpenShift `DeploymentConfig` (`apps.openshift.io/v1`, or `v1` as OpenShift 3 wrote it) whose
 * image an `ImageChange` trigger sets: every name in `spec.triggers[].imageChangeParams.containerNames` of a trigger of
 * `type: ImageChange`. OpenShift writes the image of the trigger's ImageStreamTag (resolved to a digest) into those
 * containers of the pod template, also for a trigger with `automatic: false` before the first rollout, and deploys only
 * once the tag exists, so the image written in the manifest (often `""` or `" "`) never reaches a Pod.
 * See https://docs.openshift.com/container-platform/4.13/applications/deployments/managing-deployment-processes.html#deployments-triggers_deployment-operations
 * ("Image change deployment triggers") and the `DeploymentTriggerImageChangeParams` API reference
 * (https://docs.okd.io/4.17/rest_api/workloads_apis/deploymentconfig-apps-openshift-io-v1.html).
 */
function imageChangeContainers(obj: JsonObject, group: string): ReadonlySet<string> | undefined {
  if (obj.kind !== 'DeploymentConfig' || (group !== 'apps.openshift.io' && group !== '')) return undefined;
  const triggers = at(obj, ['spec', 'triggers']);
  if (!Array.isArray(triggers)) return undefined;
  const names = new Set<string>();
  for (const t of triggers) {
    if (!isJsonObject(t) || t.type !== 'ImageChange') continue;
    const containerNames = at(t, ['imageChangeParams', 'containerNames']);
    if (Array.isArray(containerNames)) for (const n of containerNames) if (typeof n === 'string') names.add(n);
  }
  return names.size > 0 ? names : undefined;
}

/** Options of `subjectsOf`. */
export interface SubjectsOfOptions {
  /**
   * The raw text of a plain (unquoted) scalar at a field, when the object was read from YAML: messages then say what
   * the author wrote (`yes`, which Kubernetes reads as the boolean `true`).
   *
   * @default - not known
   */
  readonly plainAt?: (field: string) => string | undefined;
}

/**
 * Turns any Kubernetes object (plain JSON, as in a manifest) into the pod subjects it contains: a Pod's `spec`, the pod
 * template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job (`spec.template.spec`),
 * CronJob (`spec.jobTemplate.spec.template.spec`) or PodTemplate (`template.spec`), and the pod template of any custom
 * resource (or other kind) that keeps one at `spec.template.spec` or `spec.jobTemplate.spec.template.spec` with a list
 * of `containers` (an Argo `Rollout`, an OpenShift `DeploymentConfig`, also as OpenShift 3's `v1`, ...). Any other object
 * gives `[]`; `roleOf` says why. A built-in workload whose pod spec is missing or not a map is one subject with that problem.
 *
 * Suppression annotations of a template are the object's `metadata.annotations` merged with those of every template
 * on the way to the pod spec (a CronJob's `spec.jobTemplate.metadata`, then the pod template's `metadata`); on the
 * same key **the innermost template wins**, since it is the most specific and is what the created Pods carry.
 */
export function subjectsOf(obj: unknown, options: SubjectsOfOptions = {}): PodSubject[] {
  if (!isJsonObject(obj)) return [];
  const shape = shapeOf(obj);
  if (typeof shape === 'string') return [];
  const kind = obj.kind as string;
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '';
  const problems = new Problems(options.plainAt);
  if (metadata.name !== undefined && metadata.name !== null && typeof metadata.name !== 'string') {
    problems.wrongType('metadata.name', metadata.name, 'string');
  }
  if (metadata.namespace !== undefined && metadata.namespace !== null && namespace === undefined) {
    problems.wrongType('metadata.namespace', metadata.namespace, 'string');
  }
  const annotations: Record<string, string> = {};
  annotationsAt(metadata, 'metadata.annotations', annotations, problems);
  for (let i = 0; i < shape.templateMeta.length; i++) {
    annotationsAt(at(obj, shape.templateMeta[i]), shape.templateAnnotationFields[i], annotations, problems);
  }
  const podSpecPath = shape.specPath;
  const raw = at(obj, shape.spec);
  let spec: PodSpecJson = {};
  let containers: ContainerRef[] = [];
  if (isJsonObject(raw)) {
    ({ spec, containers } = readPodSpec(raw, podSpecPath, problems));
  } else if (raw !== undefined && raw !== null) {
    problems.wrongType(podSpecPath, raw, 'object');
  }
  const isPod = kind === 'Pod' && shape.spec.length === 1;
  // literals rather than spreads: every subject has one of a few shapes
  const subject: PodSubject =
    namespace !== undefined
      ? { kind, name, namespace, annotations, spec, podSpecPath, isPod, containers, problems: problems.list }
      : { kind, name, annotations, spec, podSpecPath, isPod, containers, problems: problems.list };
  // only an OpenShift DeploymentConfig can have containers whose image a trigger fills in
  const imageFromTrigger = kind === 'DeploymentConfig' ? imageChangeContainers(obj, groupOf(obj.apiVersion) as string) : undefined;
  return [imageFromTrigger !== undefined ? { ...subject, imageFromTrigger } : subject];
}

// ---- facts about the cluster ---------------------------------------------------------------------------------------

/** Services and RuntimeClasses found in a set of objects: what the judge may know about the cluster. */
export interface ObjectFacts {
  /** Every `v1` Service. */
  readonly services: ServiceFacts[];
  /** Every `node.k8s.io/v1` or `node.k8s.io/v1beta1` RuntimeClass, by name. */
  readonly runtimeClasses: Map<string, RuntimeClassFacts>;
}

function stringMap(x: unknown): Record<string, string> | undefined {
  if (!isJsonObject(x)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** The facts of a `v1` Service object (plain JSON) that decide its service-link variables. */
export function serviceFactsOf(obj: JsonObject, origin?: string): ServiceFacts {
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  const spec = isJsonObject(obj.spec) ? obj.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : [];
  const namespace = str(metadata.namespace);
  const type = str(spec.type);
  const clusterIP = str(spec.clusterIP);
  return {
    name: str(metadata.name) ?? '',
    ...(namespace !== undefined ? { namespace } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(clusterIP !== undefined ? { clusterIP } : {}),
    ports: ports
      .filter((p) => typeof p.port === 'number')
      .map((p) => {
        const name = str(p.name);
        const protocol = str(p.protocol);
        return { port: p.port as number, ...(name !== undefined ? { name } : {}), ...(protocol !== undefined ? { protocol } : {}) };
      }),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/** The facts of a RuntimeClass object (plain JSON) that admission applies to its pods. */
export function runtimeClassFactsOf(obj: JsonObject): RuntimeClassFacts {
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  const handler = str(obj.handler);
  const podFixedOverhead = stringMap(at(obj, ['overhead', 'podFixed']));
  const nodeSelector = stringMap(at(obj, ['scheduling', 'nodeSelector']));
  const tolerations = at(obj, ['scheduling', 'tolerations']);
  return {
    name: str(metadata.name) ?? '',
    ...(handler !== undefined ? { handler } : {}),
    ...(podFixedOverhead !== undefined ? { podFixedOverhead } : {}),
    ...(nodeSelector !== undefined ? { nodeSelector } : {}),
    ...(Array.isArray(tolerations) ? { tolerations: tolerations.filter(isJsonObject) } : {}),
  };
}

/** Whether `obj` is a `v1` Service. */
export function isService(obj: JsonObject): boolean {
  return obj.kind === 'Service' && obj.apiVersion === 'v1';
}

/** Whether `obj` is a `node.k8s.io/v1` or `v1beta1` RuntimeClass. */
export function isRuntimeClass(obj: JsonObject): boolean {
  return obj.kind === 'RuntimeClass' && (obj.apiVersion === 'node.k8s.io/v1' || obj.apiVersion === 'node.k8s.io/v1beta1');
}

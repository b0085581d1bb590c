/**
 * A container's final environment with the source of every variable, following `k8s pkg/kubelet/kubelet_pods.go`
 * `makeEnvironmentVariables` (KUBERNETES.md §1.3, §1.4): `envFrom` sources in order (a later one overrides an earlier
 * one), then each `env[]` entry in order, its `value` expanded against the variables so far and then the service
 * variables (`MappingFuncFor(tmpEnv, serviceEnv)`), `valueFrom` resolved and never expanded; then every service variable
 * whose name the container did not set. `command` and `args` are expanded against the final list
 * (`ExpandContainerCommandAndArgs`). Expansion itself is `expandVariables` of `src/env`, so the two cannot disagree.
 */
import { DEFAULTS } from '../defaults';
import { expandVariables, variableReferences } from '../env/expansion';
import type { ServiceEnvEntry } from '../env/service-env';
import { envBlockBytes, MASTER_SERVICE_NAME, MASTER_SERVICE_NAMESPACE } from '../env/service-env';
import type { ReadContainer } from './read';
import type { ExplainedArgv, ExplainedEnvFromSource, ExplainedEnvSize, ExplainedEnvVar, ExplainedReference, ShadowedEnvEntry } from './types';
import { ConfigSourceKind, EnvSourceKind } from './types';
import type { PodFacts } from './value-from';
import { configSourceKey, valueFromValue } from './value-from';

/** A service-link variable with whether its value is known (the cluster IP is). */
export interface ServiceVariable {
  /** The injected variable. */
  readonly entry: ServiceEnvEntry;
  /** Whether the value is known at synth (the Service's cluster IP is set). */
  readonly known: boolean;
}

/** A variable while the environment is assembled: `ExplainedEnvVar` with lists still growing. */
type Slot = Omit<ExplainedEnvVar, 'references' | 'shadowed' | 'dependsOn'> & {
  readonly references: ExplainedReference[];
  readonly shadowed: ShadowedEnvEntry[];
  readonly dependsOn: Set<string>;
};

interface UnknownSource {
  readonly label: string;
  readonly prefix: string;
}

/** Whether an `envFrom` source with `prefix` can give the variable `name` (a key is never empty). */
function couldDefine(source: UnknownSource, name: string): boolean {
  return name.length > source.prefix.length && name.startsWith(source.prefix);
}

interface Resolution {
  /**
   * The value the reference takes.
   *
   * @default - unresolved: the reference stays literal
   */
  readonly value?: string;
  readonly known: boolean;
  /**
   * The source of that value.
   *
   * @default - unresolved
   */
  readonly from?: string;
  readonly dependsOn: readonly string[];
}

/** The value `$(NAME)` takes and where from, or `undefined` value when the kubelet leaves it literal. */
type Resolver = (name: string) => Resolution;

/** Expands `input` with `resolve`, through `expandVariables`. */
function expand(input: string, resolve: Resolver): { value: string; known: boolean; references: ExplainedReference[]; dependsOn: Set<string> } {
  const vars: Array<[string, string]> = [];
  const references: ExplainedReference[] = [];
  const dependsOn = new Set<string>();
  let known = true;
  for (const name of variableReferences(input)) {
    const r = resolve(name);
    for (const d of r.dependsOn) dependsOn.add(d);
    if (r.value === undefined) {
      references.push({ name });
      continue;
    }
    vars.push([name, r.value]);
    known &&= r.known;
    references.push({ name, resolvedFrom: r.from });
  }
  return { value: expandVariables(input, Object.fromEntries(vars)), known, references, dependsOn };
}

function shadow(slot: Slot): ShadowedEnvEntry {
  return { value: slot.value, source: slot.source, sourceKind: slot.sourceKind };
}

/** The environment of one container. */
export interface ContainerEnvironment {
  /** The `envFrom` sources. */
  readonly envFrom: ExplainedEnvFromSource[];
  /** The final variables, in build order. */
  readonly env: ExplainedEnvVar[];
  /** The block size. */
  readonly size: ExplainedEnvSize;
  /**
   * `command` after expansion.
   *
   * @default - not set
   */
  readonly command?: ExplainedArgv;
  /**
   * `args` after expansion.
   *
   * @default - not set
   */
  readonly args?: ExplainedArgv;
  /** Sentences for the container's notes. */
  readonly notes: string[];
}

/** The source label of a service variable: `default/kubernetes` or `service <name>`. */
export function serviceSourceOf(entry: ServiceEnvEntry, podNamespace: string | undefined): { source: string; kind: EnvSourceKind } {
  const s = entry.service;
  const master = s.name === MASTER_SERVICE_NAME && (s.namespace ?? podNamespace) === MASTER_SERVICE_NAMESPACE;
  return master
    ? { source: `${MASTER_SERVICE_NAMESPACE}/${MASTER_SERVICE_NAME}`, kind: EnvSourceKind.KUBERNETES_SERVICE }
    : { source: `service ${s.name}`, kind: EnvSourceKind.SERVICE };
}

/** Builds the final environment of `container` as the kubelet does, with `services` the injected service variables. */
export function explainEnvironment(container: ReadContainer, pod: PodFacts, services: readonly ServiceVariable[]): ContainerEnvironment {
  const notes: string[] = [];
  const tmp = new Map<string, Slot>();
  const unknown: UnknownSource[] = [];
  const put = (slot: Slot): void => {
    const old = tmp.get(slot.name);
    if (old) {
      slot.shadowed.push(...old.shadowed, shadow(old));
      tmp.delete(slot.name); // the variable now sits where its winning entry is written
    }
    tmp.set(slot.name, slot);
  };

  // 1. envFrom, in order
  const envFrom: ExplainedEnvFromSource[] = [];
  for (const src of container.envFrom) {
    const kind = src.ref === 'secretRef' ? ConfigSourceKind.SECRET : ConfigSourceKind.CONFIG_MAP;
    const label = `envFrom[${src.index}] ${src.ref} ${src.name}`;
    const facts = pod.configSources.get(configSourceKey(kind, src.name));
    if (facts === undefined) {
      envFrom.push({ source: label, kind, name: src.name, prefix: src.prefix, optional: src.optional });
      const u = { label, prefix: src.prefix };
      unknown.push(u);
      for (const slot of tmp.values()) if (couldDefine(u, slot.name)) slot.dependsOn.add(label);
      continue;
    }
    const keys = [...facts.keys].sort();
    envFrom.push({ source: label, kind, name: src.name, prefix: src.prefix, optional: src.optional, names: keys.map((k) => src.prefix + k) });
    for (const key of keys) {
      const configValue = kind === ConfigSourceKind.CONFIG_MAP ? facts.values?.[key] : undefined;
      put({
        name: src.prefix + key,
        value: configValue ?? `<${kind === ConfigSourceKind.SECRET ? 'secret' : 'configMap'} ${src.name}: ${key}>`,
        known: configValue !== undefined,
        source: label,
        sourceKind: EnvSourceKind.ENV_FROM,
        field: `${container.field}.envFrom[${src.index}]`,
        references: [],
        shadowed: [],
        dependsOn: new Set(),
      });
    }
  }

  // 2. env, in order: value expanded against envFrom + earlier env, then the service variables
  const serviceByName = new Map<string, ServiceVariable>();
  for (const sv of services) serviceByName.set(sv.entry.name, sv);
  const resolveInTmp: Resolver = (name) => {
    const slot = tmp.get(name);
    if (slot) return { value: slot.value, known: slot.known, from: slot.source, dependsOn: [...slot.dependsOn] };
    const dependsOn = unknown.filter((u) => couldDefine(u, name)).map((u) => u.label);
    const sv = serviceByName.get(name);
    if (sv) return { value: sv.entry.value, known: sv.known, from: serviceSourceOf(sv.entry, pod.namespace).source, dependsOn };
    return { known: true, dependsOn };
  };
  for (const e of container.env) {
    const source = `env[${e.index}]`;
    const field = `${container.field}.env[${e.index}]`;
    if (e.value !== undefined && e.value !== '') {
      const x = expand(e.value, resolveInTmp);
      put({
        name: e.name,
        value: x.value,
        known: x.known,
        source,
        sourceKind: EnvSourceKind.ENV,
        field,
        references: x.references,
        shadowed: [],
        dependsOn: x.dependsOn,
      });
    } else if (e.valueFrom !== undefined) {
      const r = valueFromValue(e.valueFrom, container, pod);
      if (r.note !== undefined) notes.push(`env ${JSON.stringify(e.name)} (${source}): ${r.note}`);
      if (r.value === undefined) continue; // an optional key that is missing: no variable at all
      put({
        name: e.name,
        value: r.value,
        known: r.known,
        source: `${source} ${r.source}`,
        sourceKind: r.sourceKind,
        field,
        references: [],
        shadowed: [],
        dependsOn: new Set(),
      });
    } else {
      put({ name: e.name, value: '', known: true, source, sourceKind: EnvSourceKind.ENV, field, references: [], shadowed: [], dependsOn: new Set() });
    }
  }

  // 3. service variables the container did not set
  for (const sv of services) {
    const { source, kind } = serviceSourceOf(sv.entry, pod.namespace);
    const existing = tmp.get(sv.entry.name);
    if (existing) {
      existing.shadowed.push({ value: sv.entry.value, source, sourceKind: kind });
      continue;
    }
    const dependsOn = new Set(unknown.filter((u) => couldDefine(u, sv.entry.name)).map((u) => u.label));
    tmp.set(sv.entry.name, {
      name: sv.entry.name,
      value: sv.entry.value,
      known: sv.known,
      source,
      sourceKind: kind,
      references: [],
      shadowed: [],
      dependsOn,
    });
  }

  // command and args: against the final list
  const resolveFinal: Resolver = (name) => {
    const slot = tmp.get(name);
    if (slot) return { value: slot.value, known: slot.known, from: slot.source, dependsOn: [...slot.dependsOn] };
    return { known: true, dependsOn: unknown.filter((u) => couldDefine(u, name)).map((u) => u.label) };
  };
  const argv = (written: readonly string[] | undefined): ExplainedArgv | undefined => {
    if (written === undefined) return undefined;
    const references = new Map<string, ExplainedReference>();
    const dependsOn = new Set<string>();
    const expanded = written.map((s) => {
      const x = expand(s, resolveFinal);
      for (const r of x.references) if (!references.has(r.name)) references.set(r.name, r);
      for (const d of x.dependsOn) dependsOn.add(d);
      return x.value;
    });
    return { written: [...written], expanded, references: [...references.values()], dependsOn: [...dependsOn] };
  };

  const env: ExplainedEnvVar[] = [...tmp.values()].map((s) => ({
    name: s.name,
    value: s.value,
    known: s.known,
    source: s.source,
    sourceKind: s.sourceKind,
    ...(s.field !== undefined ? { field: s.field } : {}),
    references: s.references,
    shadowed: s.shadowed,
    dependsOn: [...s.dependsOn],
  }));
  const serviceLinkBytes = envBlockBytes(Object.fromEntries(services.map((sv) => [sv.entry.name, sv.entry.value])));
  const size: ExplainedEnvSize = {
    bytes: envBlockBytes(Object.fromEntries(env.map((v) => [v.name, v.value]))),
    serviceLinkBytes,
    limitBytes: DEFAULTS.serviceEnvWarnBytes,
    overLimit: serviceLinkBytes > DEFAULTS.serviceEnvWarnBytes,
  };
  const command = argv(container.command);
  const args = argv(container.args);
  return { envFrom, env, size, notes, ...(command ? { command } : {}), ...(args ? { args } : {}) };
}

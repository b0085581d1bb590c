/**
 * `explainPod`: what the kubelet will build for each container of a pod (hostname, environment, command, image and
 * pull policy, RuntimeClass admission, requests) and when each step of its start and stop happens, with the judge's
 * findings. Built only from the domain floors (`src/env`, `src/image`, `src/hooks`, `src/runtime-class`) and the judge
 * (`src/rules`), so it shows what the rules check; it re-implements no check.
 */
import { DEFAULTS } from '../defaults';
import type { ServiceEnvEntry } from '../env/service-env';
import { MASTER_SERVICE_NAME, MASTER_SERVICE_NAMESPACE, masterServiceFacts, serviceEnvEntries } from '../env/service-env';
import { HOOK_BUDGETS_ANNOTATION, parseHookBudgetAnnotation } from '../hooks/budget';
import { defaultPullPolicy, isImagePullPolicy } from '../image/pull-policy';
import { ImageReference, referenceGrammarFor } from '../image/reference';
import type { ContainerJson, JsonObject, LocatedObject, PodSpecJson, ServiceFacts } from '../k8s/shapes';
import { KubernetesVersion } from '../k8s/version';
import { RULES } from '../rules/catalogue';
import { judgeSubject } from '../rules/judge';
import type { CheckOptions } from '../rules/check';
import { contextFor, factsOf } from '../rules/check';
import { isJsonObject, subjectsOf } from '../rules/normalize';
import type { Finding, JudgeContext, PodSubject } from '../rules/types';
import { admitPod } from '../runtime-class/admission';
import { containerRequests, effectiveRequestStrings } from '../runtime-class/requests';
import type { ServiceVariable } from './environment';
import { explainEnvironment } from './environment';
import { configSourcesOf } from './facts';
import { explainHostname } from './hostname';
import type { ReadContainer, ReadPodSpec } from './read';
import { readPodSpec } from './read';
import { explainTimeline, laneKindOf } from './timeline';
import type {
  ConfigSourceFacts,
  ExplainContext,
  ExplainedContainer,
  ExplainedImage,
  ExplainedPod,
  ExplainedRuntimeClass,
  ExplainedScheduling,
  ExplainedTimeline,
  ExplainProblem,
} from './types';
import { AdmissionOutcome, PhaseName, PullPolicyOrigin } from './types';
import type { PodFacts } from './value-from';
import { configSourceKey } from './value-from';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (!isJsonObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** The string values of a map (labels, annotations); the API server refuses any other. */
function stringsOf(x: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJsonObject(x)) for (const [k, v] of Object.entries(x)) if (typeof v === 'string') out[k] = v;
  return out;
}

const EMPTY_TIMELINE: ExplainedTimeline = {
  gracePeriodSeconds: DEFAULTS.kubernetesTerminationGracePeriodSeconds,
  gracePeriodWritten: false,
  start: { name: PhaseName.START, zero: 'the first container is created', endSeconds: 0, lanes: [], notes: [] },
  stop: { name: PhaseName.STOP, zero: 'the pod is deleted', endSeconds: 0, lanes: [], notes: [] },
  events: [],
  eventCommands: [],
};

/** The result for an object that cannot be explained: identity as far as readable, and the problem. */
function unexplained(object: unknown, version: KubernetesVersion, problems: ExplainProblem[]): ExplainedPod {
  const namespace = str(at(object, ['metadata', 'namespace']));
  return {
    kind: str(at(object, ['kind'])) ?? '',
    name: str(at(object, ['metadata', 'name'])) ?? str(at(object, ['metadata', 'generateName'])) ?? '',
    ...(namespace !== undefined ? { namespace } : {}),
    template: false,
    podSpecField: '',
    kubernetesVersion: version.toString(),
    hostname: { value: '<pod name>', known: false, source: 'metadata.name' },
    serviceLinks: true,
    scheduling: { nodeSelector: {}, tolerations: [], effectiveRequests: {} },
    containers: [],
    timeline: EMPTY_TIMELINE,
    findings: [],
    problems,
  };
}

/** The service variables every container of the pod gets, with `default/kubernetes` added unless listed. */
function serviceVariables(
  services: readonly ServiceFacts[],
  podNamespace: string | undefined,
  links: boolean,
  kubernetesServiceIP: string | undefined,
  problems: ExplainProblem[],
): ServiceVariable[] {
  const listsMaster = services.some((s) => s.name === MASTER_SERVICE_NAME && (s.namespace ?? podNamespace) === MASTER_SERVICE_NAMESPACE);
  const master = masterServiceFacts(kubernetesServiceIP);
  const facts = listsMaster ? services : [...services, master];
  let entries: ServiceEnvEntry[];
  try {
    entries = serviceEnvEntries(facts, { podNamespace, enableServiceLinks: links });
  } catch (e) {
    problems.push({ field: 'services', message: `the known Services cannot be read (${message(e)}); only default/kubernetes is used` });
    entries = serviceEnvEntries([master], { podNamespace, enableServiceLinks: links });
  }
  return entries.map((entry) => ({ entry, known: typeof entry.service.clusterIP === 'string' && entry.service.clusterIP !== '' }));
}

function explainImage(c: ReadContainer, version: KubernetesVersion): ExplainedImage {
  const reference = c.image ?? '';
  const grammar = referenceGrammarFor(version);
  let ref: ImageReference | undefined;
  try {
    ref = ImageReference.tryParse(reference, { grammar });
  } catch {
    ref = undefined;
  }
  const parts = ref
    ? {
        domain: ref.domain,
        path: ref.path,
        ...(ref.tag !== undefined ? { tag: ref.tag } : {}),
        ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
        normalized: ref.toString(),
      }
    : {};
  const base = { reference, valid: ref !== undefined, ...parts, grammar };
  const written = c.imagePullPolicy;
  if (written !== undefined && written !== '') {
    const reason = isImagePullPolicy(written)
      ? 'written in the manifest'
      : `written as ${JSON.stringify(written)}, which the API server refuses (only Always, IfNotPresent and Never; the comparison is case-sensitive)`;
    return { ...base, pullPolicy: written, pullPolicyOrigin: PullPolicyOrigin.WRITTEN, pullPolicyReason: reason };
  }
  const policy = defaultPullPolicy(reference, { grammar });
  let why: string;
  if (ref === undefined) why = 'the reference does not parse, so the API server reads no tag';
  else if (ref.tag === undefined && ref.digest === undefined) why = 'the reference has no tag and no digest, so its tag is "latest"';
  else if (ref.tag === 'latest') why = 'the tag is "latest"';
  else if (ref.tag === undefined) why = 'the reference has a digest and no tag';
  else why = `the tag ${JSON.stringify(ref.tag)} is not "latest"`;
  return {
    ...base,
    pullPolicy: policy,
    pullPolicyOrigin: PullPolicyOrigin.DEFAULTED,
    pullPolicyReason: `not written: ${why}, so SetDefaults_Container gives ${policy} (Always only for "latest" or no tag)`,
  };
}

/** The pod spec as the admission and requests functions read it, from the typed fields only. */
function cleanPodSpec(spec: ReadPodSpec): PodSpecJson {
  const container = (c: ReadContainer): ContainerJson => ({
    name: c.name,
    ...(c.restartPolicy !== undefined ? { restartPolicy: c.restartPolicy } : {}),
    resources: { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) },
  });
  return {
    containers: spec.containers.filter((c) => c.list === 'containers').map(container),
    initContainers: spec.containers.filter((c) => c.list === 'initContainers').map(container),
    ...(spec.runtimeClassName !== undefined ? { runtimeClassName: spec.runtimeClassName } : {}),
    ...(spec.nodeSelector !== undefined ? { nodeSelector: spec.nodeSelector } : {}),
    ...(spec.tolerations !== undefined ? { tolerations: spec.tolerations } : {}),
    ...(spec.overhead !== undefined ? { overhead: spec.overhead } : {}),
  };
}

function explainRuntimeClass(
  spec: ReadPodSpec,
  clean: PodSpecJson,
  context: ExplainContext,
  podSpecField: string,
  problems: ExplainProblem[],
): { runtimeClass?: ExplainedRuntimeClass; scheduling: ExplainedScheduling } {
  const name = spec.runtimeClassName;
  const rc = name !== undefined ? context.runtimeClasses?.get(name) : undefined;
  let admitted: PodSpecJson = clean;
  let runtimeClass: ExplainedRuntimeClass | undefined;
  if (name !== undefined) {
    const base = {
      name,
      known: rc !== undefined,
      ...(rc?.handler !== undefined ? { handler: rc.handler } : {}),
      overhead: { ...(rc?.podFixedOverhead ?? {}) },
    };
    if (rc === undefined && context.runtimeClasses === undefined) {
      runtimeClass = { ...base, admission: AdmissionOutcome.UNKNOWN };
    } else {
      const result = admitPod(clean, rc);
      if (result.admitted && result.podSpec) {
        admitted = result.podSpec;
        runtimeClass = { ...base, admission: AdmissionOutcome.ADMITTED };
      } else {
        runtimeClass = { ...base, admission: AdmissionOutcome.REJECTED, ...(result.rejection ? { rejection: result.rejection.message } : {}) };
      }
    }
  }
  let effectiveRequests: Readonly<Record<string, string>> = {};
  try {
    effectiveRequests = effectiveRequestStrings(clean, rc);
  } catch (e) {
    problems.push({ field: podSpecField, message: `the effective requests cannot be computed: ${message(e)}` });
  }
  return {
    ...(runtimeClass ? { runtimeClass } : {}),
    scheduling: { nodeSelector: { ...(admitted.nodeSelector ?? {}) }, tolerations: [...(admitted.tolerations ?? [])], effectiveRequests },
  };
}

function requestsOf(c: ReadContainer, problems: ExplainProblem[]): Readonly<Record<string, string>> {
  try {
    const q = containerRequests({ name: c.name, resources: { requests: c.requests, limits: c.limits } });
    return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v.toString()]));
  } catch (e) {
    problems.push({ field: `${c.field}.resources`, message: `${c.field}.resources cannot be read: ${message(e)}` });
    return {};
  }
}

/** The metadata path of the pod template that holds `podSpecField` (`spec.template.spec` → `spec.template.metadata`). */
function podMetadataPath(podSpecField: string): string[] {
  const parts = podSpecField.split('.');
  return [...parts.slice(0, -1), 'metadata'];
}

function judge(subject: PodSubject, context: ExplainContext, version: KubernetesVersion): Finding[] {
  const ctx: JudgeContext = {
    kubernetesVersion: version,
    requireDigest: context.requireDigest ?? DEFAULTS.requireDigest,
    ...(context.runtimeClasses !== undefined ? { runtimeClasses: context.runtimeClasses } : {}),
    ...(context.services !== undefined ? { services: context.services } : {}),
  };
  return judgeSubject(subject, ctx, RULES);
}

function explainSubject(
  object: JsonObject,
  subject: PodSubject,
  context: ExplainContext,
  version: KubernetesVersion,
  problems: ExplainProblem[],
): ExplainedPod {
  const template = !subject.isPod;
  const podSpecField = subject.podSpecPath;
  // the pod spec as the judge normalised it: a field of the wrong type is its field-type-invalid finding, read as absent
  const spec = readPodSpec(subject);
  const metadata = isJsonObject(object.metadata) ? object.metadata : {};
  const name = str(metadata.name);
  const generateName = str(metadata.generateName);
  const namespace = subject.namespace;
  const podMeta = at(object, podMetadataPath(podSpecField));
  const podMetaObj = isJsonObject(podMeta) ? podMeta : {};
  const labels = stringsOf(podMetaObj.labels);
  const annotations = stringsOf(podMetaObj.annotations);
  const links = spec.enableServiceLinks !== false;

  const services = serviceVariables(context.services ?? [], namespace, links, context.kubernetesServiceIP, problems);
  const configSources = new Map<string, ConfigSourceFacts>();
  for (const s of context.configSources ?? []) {
    if (s.namespace === undefined || s.namespace === namespace) configSources.set(configSourceKey(s.kind, s.name), s);
  }
  const podName = !template && name !== undefined && name !== '' ? name : undefined;
  const podFacts: PodFacts = {
    template,
    ...(podName !== undefined ? { name: podName } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    labels,
    annotations,
    ...(spec.serviceAccountName !== undefined ? { serviceAccountName: spec.serviceAccountName } : {}),
    ...(spec.nodeName !== undefined ? { nodeName: spec.nodeName } : {}),
    containers: spec.containers,
    configSources,
  };

  const budgets = parseHookBudgetAnnotation(subject.annotations[HOOK_BUDGETS_ANNOTATION]);
  const { timeline, notes: timelineNotes } = explainTimeline({
    containers: spec.containers,
    version,
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    budgets: budgets.budgets,
    ...(podName !== undefined ? { podName } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  });

  const findings = judge(subject, context, version);
  const names = new Set(spec.containers.map((c) => c.name));
  const containers: ExplainedContainer[] = spec.containers.map((c) => {
    const env = explainEnvironment(c, podFacts, services);
    const notes = [...env.notes, ...timelineNotes.filter((n) => n.startsWith(`container ${JSON.stringify(c.name)}:`))];
    return {
      name: c.name,
      kind: laneKindOf(c, version),
      field: c.field,
      image: explainImage(c, version),
      ...(env.command ? { command: env.command } : {}),
      ...(env.args ? { args: env.args } : {}),
      envFrom: env.envFrom,
      env: env.env,
      envSize: env.size,
      requests: requestsOf(c, problems),
      findings: findings.filter((f) => f.container === c.name),
      notes,
    };
  });
  const clean = cleanPodSpec(spec);
  const { runtimeClass, scheduling } = explainRuntimeClass(spec, clean, context, podSpecField, problems);
  const serviceName = subject.kind === 'StatefulSet' ? str(at(object, ['spec', 'serviceName'])) : undefined;
  return {
    kind: subject.kind,
    name: subject.name,
    ...(namespace !== undefined ? { namespace } : {}),
    template,
    podSpecField,
    kubernetesVersion: version.toString(),
    hostname: explainHostname({
      kind: subject.kind,
      template,
      name,
      generateName,
      namespace,
      hostname: spec.hostname,
      subdomain: spec.subdomain,
      setHostnameAsFQDN: spec.setHostnameAsFQDN,
      hostNetwork: spec.hostNetwork,
      serviceName,
    }),
    serviceLinks: links,
    ...(runtimeClass ? { runtimeClass } : {}),
    scheduling,
    containers,
    timeline,
    findings: findings.filter((f) => f.container === undefined || !names.has(f.container)),
    problems,
  };
}

/**
 * Explains one pod-bearing object (a Pod, or a workload with a pod template: Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob, PodTemplate) as plain JSON: per container the hostname, the final
 * environment with sources, the command after expansion, the image and its pull policy, the requests and the judge's
 * findings; per pod the RuntimeClass admission, the scheduling after it, and the start and stop timeline.
 *
 * Never throws: an object that is not pod-bearing is reported in `problems`; a field of the wrong JSON type is a
 * `field-type-invalid` finding of the judge (the pod spec is read once, by its normaliser) and is read as absent.
 */
export function explainPod(object: unknown, context: ExplainContext = {}): ExplainedPod {
  const problems: ExplainProblem[] = [];
  let version = DEFAULTS.kubernetesVersion;
  if (context.kubernetesVersion !== undefined) {
    if (KubernetesVersion.isKubernetesVersion(context.kubernetesVersion)) version = context.kubernetesVersion;
    else problems.push({ field: 'kubernetesVersion', message: `the context's kubernetesVersion is not a KubernetesVersion; ${version} is used` });
  }
  try {
    const subject = subjectsOf(object)[0];
    if (subject === undefined || !isJsonObject(object)) {
      const kind = str(at(object, ['kind']));
      problems.push({
        field: '',
        message:
          kind === undefined
            ? 'the object has no kind: it is not a pod-bearing object'
            : `${kind} ${JSON.stringify(str(at(object, ['apiVersion'])) ?? '')} has no pod spec to explain (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate)`,
      });
      return unexplained(object, version, problems);
    }
    return explainSubject(object, subject, context, version, problems);
  } catch (e) {
    problems.push({ field: '', message: `the object could not be explained: ${message(e)}` });
    return unexplained(object, version, problems);
  }
}

/** Options of `explainObjects`: those of `checkObjects`, plus the cluster IP of `default/kubernetes`. */
export interface ExplainObjectsOptions extends CheckOptions {
  /**
   * The cluster IP of `default/kubernetes`.
   *
   * @default - DEFAULTS.unallocatedClusterIP (`<cluster-ip>`)
   */
  readonly kubernetesServiceIP?: string;
}

/**
 * Explains every pod-bearing object among `objects` (plain JSON, or `LocatedObject`s as the CLI reads them), with the
 * Services, RuntimeClasses, ConfigMaps and Secrets among the same objects as facts (as `checkObjects` does for the
 * judge). Returns one result per pod-bearing object, in order.
 */
export function explainObjects(objects: ReadonlyArray<LocatedObject | JsonObject>, options: ExplainObjectsOptions = {}): ExplainedPod[] {
  const plain = objects.map((o) => (isJsonObject(o) && 'object' in o && !('kind' in o) ? (o as unknown as LocatedObject).object : o));
  const judgeContext = contextFor(factsOf(plain), options);
  const context: ExplainContext = {
    ...judgeContext,
    configSources: configSourcesOf(plain),
    ...(options.kubernetesServiceIP !== undefined ? { kubernetesServiceIP: options.kubernetesServiceIP } : {}),
  };
  return plain.filter((o) => subjectsOf(o).length > 0).map((o) => explainPod(o, context));
}

/**
 * The pod with only the container `name`: its entry in `containers`, its lanes of the timeline and its events.
 * `undefined` when the pod has no such container.
 */
export function onlyContainer(pod: ExplainedPod, name: string): ExplainedPod | undefined {
  if (!pod.containers.some((c) => c.name === name)) return undefined;
  const t = pod.timeline;
  const phase = <P extends ExplainedTimeline['start']>(p: P): P => ({ ...p, lanes: p.lanes.filter((l) => l.container === name) });
  const events = t.events.filter((e) => e.container === name);
  const reasons = new Set(events.map((e) => e.reason));
  const eventCommands =
    events.length === 0 ? [] : t.eventCommands.filter((c) => !/reason=/.test(c) || [...reasons].some((r) => c.endsWith(`reason=${r}`)));
  return {
    ...pod,
    containers: pod.containers.filter((c) => c.name === name),
    timeline: { ...t, start: phase(t.start), stop: phase(t.stop), events, eventCommands },
  };
}

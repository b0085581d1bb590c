import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { DEFAULTS } from '../defaults';
import { ManifestError } from '../k8s/errors';
import type { LifecycleHooks } from '../hooks/hook';
import type { PodHooksPlan } from '../hooks/plan';
import { planPodHooks } from '../hooks/plan';
import { hasErrors, judgeSubject, SUPPRESS_ANNOTATION_PREFIX } from '../rules/judge';
import { RULES } from '../rules/catalogue';
import { POD_NO_CONTAINERS } from '../rules/pod';
import type { JsonObject } from '../k8s/shapes';
import type { Finding, PodSubject } from '../rules/types';
import { Severity } from '../rules/types';
import { synthPassOf } from './_synth-pass';
import type { IRuntimeClass } from './runtime-class';
import { judgeContextFor } from './_app-facts';
import type { ResolvedSafePodsSettings } from './settings';
import { SafePodsSettings, WarningMode } from './settings';

const SAFE_POD_SYMBOL = Symbol.for('cdk8s-safe-pods.SafePod');

// cdk8s-plus adds the containers of the props inside its constructor, before the L1 object (and so the
// metadata) exists: annotations of those containers wait here until it does.
const pendingAnnotations = new WeakMap<object, Array<[string, string]>>();
// hooks of each container, recorded as containers are added (also during the cdk8s-plus constructor)
const containerHooks = new WeakMap<object, Array<{ name: string; hooks: LifecycleHooks; shutdownReserveSeconds?: number }>>();

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as JsonObject)[key]);
  return out;
}

function hooksOf(pod: object): Array<{ name: string; hooks: LifecycleHooks; shutdownReserveSeconds?: number }> {
  let list = containerHooks.get(pod);
  if (!list) {
    list = [];
    containerHooks.set(pod, list);
  }
  return list;
}

/** Rule ids that `allowMutableTag` suppresses for its container. */
export const MUTABLE_TAG_RULES: readonly string[] = Object.freeze(['image-not-pinned', 'image-floating-tag']);

/**
 * Properties of a container of a `SafePod`: every cdk8s-plus container property, plus the library's. Hooks are
 * given with `hooks` (bounded `LifecycleHook`s); the cdk8s-plus `lifecycle` prop is refused, because its `Handler`s
 * allow `tcpSocket` (a hook the kubelet never runs) and exec hooks without a time bound.
 */
export interface SafeContainerProps extends kplus.ContainerProps {
  /**
   * PostStart and PreStop hooks, each with a time budget (declared, or `DEFAULTS.postStartBudgetSeconds` /
   * `DEFAULTS.preStopBudgetSeconds`). Exec hooks are wrapped in `timeout` so they cannot outlive their budget.
   *
   * @default - no hooks
   */
  readonly hooks?: LifecycleHooks;

  /**
   * Seconds the app needs after SIGTERM to shut down, reserved inside the termination grace period after PreStop.
   *
   * @default - DEFAULTS.shutdownReserveSeconds
   */
  readonly shutdownReserveSeconds?: number;

  /**
   * Allows this container's image to use a mutable tag (no tag, `latest`, or a floating tag such as `main`), for
   * local development (e.g. kind with images rebuilt under the same tag). The value is the reason; it is written to
   * the pod as the suppression annotation `safe-pods.cdk8s.io/suppress.image-not-pinned.<container>`, so the
   * decision stays visible in the YAML and greppable in the code. The pull policy then defaults to `Always`.
   *
   * @default - mutable tags are refused
   */
  readonly allowMutableTag?: string;
}

/** Properties for `SafePod`. */
export interface SafePodProps extends kplus.PodProps {
  /**
   * Containers of the pod. Each gets an explicit `imagePullPolicy` and the image rules.
   *
   * @default - no containers; add them with `addContainer` (a pod needs at least one)
   */
  readonly containers?: SafeContainerProps[];

  /**
   * Init containers of the pod, with the same rules as containers.
   *
   * @default - no init containers
   */
  readonly initContainers?: SafeContainerProps[];

  /**
   * Whether the kubelet injects Docker-link variables (`FOO_SERVICE_HOST`, `FOO_PORT=tcp://...`) for every
   * Service of the pod's namespace. Kubernetes defaults it to `true`; this library writes `false` explicitly
   * unless you turn links on, and then checks the app's Services against the containers' variables.
   *
   * @see https://kubernetes.io/docs/tutorials/services/connect-applications-service/#environment-variables
   * @default false
   */
  readonly enableServiceLinks?: boolean;

  /**
   * The RuntimeClass the pod runs with: a `RuntimeClass` of the app, `RuntimeClass.fromName(name)` for a class the
   * cluster provides, or the name of a class defined in the app. A name that no class of the app has fails the synth
   * with the list of known classes (and says so when the string is a class's *handler*), instead of the pod being
   * rejected at admission.
   *
   * @see https://kubernetes.io/docs/concepts/containers/runtime-class/
   * @default - no `runtimeClassName` is written; the node's default runtime handler is used
   */
  readonly runtimeClass?: IRuntimeClass | string;

  /**
   * Secrets used to pull the images (private registries): cdk8s-plus Secrets or Secret names. Added to the
   * cdk8s-plus `dockerRegistryAuth`, if any.
   *
   * @default - no pull secrets
   */
  readonly imagePullSecrets?: Array<kplus.ISecret | string>;
}

/**
 * A cdk8s-plus `Pod` that cannot be synthesized with the classic container mistakes: every image pinned, every
 * container with an explicit `imagePullPolicy`, service links off unless asked for, and every rule of the
 * catalogue checked at synth time, with all findings reported together with this construct's path.
 *
 * It keeps the whole cdk8s-plus `Pod` API (containers, init containers, volumes, security context, scheduling);
 * containers added later with `addContainer`/`addInitContainer` get the same treatment.
 */
export class SafePod extends kplus.Pod {
  /** Whether `x` is a `SafePod` (works across copies of this package). */
  public static isSafePod(x: unknown): x is SafePod {
    return x !== null && typeof x === 'object' && SAFE_POD_SYMBOL in x;
  }

  /** Whether the kubelet injects service-link variables into this pod's containers. */
  public readonly enableServiceLinks: boolean;

  /** The RuntimeClass of the pod, if any. */
  public readonly runtimeClass?: IRuntimeClass | string;

  private readonly pullSecretNames: string[];
  private readonly authorGracePeriodSeconds?: number;

  constructor(scope: Construct, id: string, props: SafePodProps = {}) {
    super(scope, id, props);
    Object.defineProperty(this, SAFE_POD_SYMBOL, { value: true });
    this.enableServiceLinks = props.enableServiceLinks ?? DEFAULTS.enableServiceLinks;
    this.authorGracePeriodSeconds = props.terminationGracePeriod?.toSeconds();
    if (props.runtimeClass === '') {
      throw new ManifestError(
        `SafePod ${JSON.stringify(this.node.path)}: runtimeClass is "", which the API server rejects; leave it out to use the node's default handler, or name a RuntimeClass`,
        'spec.runtimeClassName',
      );
    }
    this.runtimeClass = props.runtimeClass;
    this.pullSecretNames = (props.imagePullSecrets ?? []).map((s) => (typeof s === 'string' ? s : s.name));
    for (const [key, value] of pendingAnnotations.get(this) ?? []) this.metadata.addAnnotation(key, value);
    pendingAnnotations.delete(this);

    this.node.addValidation({ validate: () => this.validateSafePod() });
    const l1 = ApiObject.of(this);
    const toJson = l1.toJson.bind(l1);
    // The object judged during validation is the object written: keep it for the synth that follows, and only for
    // that synth (a pod validated in a synth of another chart is never written by it; the next synth re-renders).
    const pass = synthPassOf(this);
    l1.toJson = (): JsonObject => {
      const cached = this.validatedJson;
      this.validatedJson = undefined;
      if (cached && cached.pass === pass.id) return cached.json;
      return this.finish(toJson());
    };
  }

  private validatedJson?: { readonly pass: number; readonly json: JsonObject };
  private validatedPlan?: PodHooksPlan;

  /**
   * Adds a container with an explicit `imagePullPolicy`: the author's choice, else `Always` when the container
   * allows a mutable tag, else `IfNotPresent` (safe because the image is pinned).
   */
  public override addContainer(cont: SafeContainerProps): kplus.Container {
    return super.addContainer(this.prepareContainer(cont, 'main'));
  }

  /** Adds an init container, with the same rules as `addContainer`. */
  public override addInitContainer(cont: SafeContainerProps): kplus.Container {
    return super.addInitContainer(this.prepareContainer(cont, `init-${this.initContainers.length}`));
  }

  /**
   * Runs every rule over this pod as it would be synthesized now and returns the findings (errors and warnings).
   */
  public findings(): Finding[] {
    return this.judge(false);
  }

  /** @internal */
  public override _toKube(): kplus.k8s.PodSpec {
    const spec = super._toKube();
    const secrets = [...(spec.imagePullSecrets ?? []), ...this.pullSecretNames.map((name) => ({ name }))];
    return {
      ...spec,
      enableServiceLinks: this.enableServiceLinks,
      runtimeClassName: typeof this.runtimeClass === 'string' ? this.runtimeClass : this.runtimeClass?.name,
      imagePullSecrets: secrets.length > 0 ? secrets : undefined,
    };
  }

  private prepareContainer(cont: SafeContainerProps, defaultName: string): kplus.ContainerProps {
    const { allowMutableTag, hooks, shutdownReserveSeconds, ...rest } = cont;
    const name = cont.name ?? defaultName;
    if (cont.lifecycle !== undefined) {
      throw new ManifestError(
        `SafePod ${JSON.stringify(this.node.path)}: container ${JSON.stringify(name)}: lifecycle takes cdk8s-plus Handlers, which allow tcpSocket hooks the kubelet never runs and exec hooks without a time bound; use hooks: { preStop: LifecycleHook.exec([...]) } instead`,
        'lifecycle',
      );
    }
    hooksOf(this).push({ name, hooks: hooks ?? {}, shutdownReserveSeconds });
    if (allowMutableTag !== undefined) {
      if (allowMutableTag.trim().length === 0) {
        throw new Error(
          `SafePod ${JSON.stringify(this.node.path)}: container ${JSON.stringify(name)}: allowMutableTag is empty; give the reason the mutable tag is accepted, e.g. "local kind cluster"`,
        );
      }
      for (const rule of MUTABLE_TAG_RULES) {
        this.annotate(`${SUPPRESS_ANNOTATION_PREFIX}${rule}.${name}`, allowMutableTag);
      }
    }
    const imagePullPolicy =
      cont.imagePullPolicy ?? ((allowMutableTag !== undefined ? DEFAULTS.mutableTagPullPolicy : DEFAULTS.imagePullPolicy) as kplus.ImagePullPolicy);
    return { ...rest, name, imagePullPolicy };
  }

  /**
   * The hooks of every container, rendered for the target version, with their budgets and the grace period.
   * Throws one `ManifestError` listing (one line each, with the rule id) every hook the target cannot run.
   */
  private planHooks(settings: ResolvedSafePodsSettings = SafePodsSettings.of(this)): PodHooksPlan {
    const version = settings.kubernetesVersion;
    const inputs = hooksOf(this);
    try {
      return planPodHooks(inputs, { version, terminationGracePeriodSeconds: this.authorGracePeriodSeconds });
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
    }
    // plan each container alone to report every hook the target cannot run, not only the first
    const problems: string[] = [];
    for (const input of inputs) {
      try {
        planPodHooks([input], { version });
      } catch (e) {
        if (!(e instanceof ManifestError)) throw e;
        // a sleep the target version cannot run, or any other hook the API server would refuse
        const rule = e.field?.endsWith('.sleep') ? 'lifecycle-sleep-unsupported' : 'lifecycle-handler-invalid';
        problems.push(`${e.message} [${rule}]`);
      }
    }
    throw new ManifestError(problems.join('\n'));
  }

  /**
   * Writes what the generated 1.27 L1 cannot carry (it filters its output through the 1.27 schema, so the native
   * `sleep` hook would vanish): container hooks, the grace period, the budgets annotation.
   */
  private finish(json: JsonObject): JsonObject {
    // the plan made by the validation that is rendering this pod, or a fresh one outside a synth
    let plan = this.validatedPlan;
    this.validatedPlan = undefined;
    if (!plan) {
      try {
        plan = this.planHooks();
      } catch (e) {
        if (e instanceof ManifestError) return json; // reported by validation, which fails the synth
        throw e;
      }
    }
    const spec = { ...(json.spec as JsonObject) };
    let changed = false;
    for (const list of ['containers', 'initContainers'] as const) {
      const cs = spec[list] as JsonObject[] | undefined;
      if (!cs) continue;
      spec[list] = cs.map((c) => {
        const lifecycle = plan.lifecycles.get(c.name as string);
        if (!lifecycle) return c;
        changed = true;
        return { ...c, lifecycle };
      });
    }
    spec.terminationGracePeriodSeconds = plan.gracePeriod.ok ? plan.gracePeriod.seconds : this.authorGracePeriodSeconds;
    const out: JsonObject = { ...json, spec };
    if (Object.keys(plan.annotations).length > 0) {
      changed = true;
      const metadata = (json.metadata ?? {}) as JsonObject;
      out.metadata = { ...metadata, annotations: { ...((metadata.annotations as JsonObject) ?? {}), ...plan.annotations } };
    }
    if (changed) {
      // keep the key order cdk8s writes (sorted), so the YAML stays deterministic and diff-friendly
      out.metadata = sortKeys(out.metadata);
      out.spec = sortKeys(out.spec);
    }
    return out;
  }

  private annotate(key: string, value: string): void {
    if ((this as unknown as { apiObject?: ApiObject }).apiObject) {
      this.metadata.addAnnotation(key, value);
    } else {
      const list = pendingAnnotations.get(this) ?? [];
      list.push([key, value]);
      pendingAnnotations.set(this, list);
    }
  }

  private judge(inSynth: boolean, settings: ResolvedSafePodsSettings = SafePodsSettings.of(this)): Finding[] {
    this.validatedJson = undefined;
    const json = ApiObject.of(this).toJson() as JsonObject;
    if (inSynth) this.validatedJson = { pass: synthPassOf(this).id, json };
    const metadata = (json.metadata ?? {}) as { name?: string; namespace?: string; annotations?: Record<string, string> };
    const subject: PodSubject = {
      kind: 'Pod',
      name: metadata.name ?? this.name,
      namespace: metadata.namespace,
      annotations: metadata.annotations ?? {},
      podSpec: (json.spec ?? {}) as PodSubject['podSpec'],
      podSpecPath: 'spec',
      isPod: true,
    };
    // a class the cluster provides (RuntimeClass.fromName) is known to exist for this pod
    const declared = this.runtimeClass !== undefined && typeof this.runtimeClass !== 'string' ? [this.runtimeClass.facts()] : [];
    return judgeSubject(subject, judgeContextFor(this, settings, inSynth ? synthPassOf(this) : undefined, declared), RULES);
  }

  private validateSafePod(): string[] {
    const settings = SafePodsSettings.of(this);
    if (this.containers.length === 0) {
      // cdk8s-plus cannot render a pod without containers: judge the empty spec, so the message is the rule's
      const subject = { kind: 'Pod', name: this.name, annotations: {}, podSpec: {}, podSpecPath: 'spec', isPod: true };
      return POD_NO_CONTAINERS.check(subject, judgeContextFor(this, settings)).map((f) => `${f.message} [${POD_NO_CONTAINERS.id}]`);
    }
    try {
      this.validatedPlan = this.planHooks(settings);
    } catch (e) {
      if (e instanceof ManifestError) return e.message.split('\n');
      throw e;
    }
    let findings: Finding[];
    try {
      findings = this.judge(true, settings);
    } catch (e) {
      // cdk8s-plus reports some mistakes only while rendering (e.g. a pod without containers)
      return [
        `cannot be rendered: ${(e as Error).message.replace(/^Failed serializing construct at path '[^']*' with name '[^']*': (Error: )?/, '')}`,
      ];
    }
    const errors: string[] = [];
    for (const f of findings) {
      const line = `${f.message} [${f.rule}]`;
      if (f.severity === Severity.ERROR || settings.warnings === WarningMode.FAIL) {
        errors.push(line);
      } else if (settings.warnings === WarningMode.PRINT) {
        synthPassOf(this).warn(`[${this.node.path}] warning: ${line}`);
      }
    }
    if (errors.length > 0 || hasErrors(findings)) this.validatedJson = undefined;
    return errors;
  }
}

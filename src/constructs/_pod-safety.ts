/**
 * The safe-pod behaviour every safe construct composes (SafePod and the safe workloads): one implementation of the
 * container props (`hooks`, `shutdownReserveSeconds`, `allowMutableTag`), the pod props (`enableServiceLinks`,
 * `runtimeClass`, `imagePullSecrets`, the derived grace period), rendering what the 1.27 L1 cannot carry, and asking
 * the judge at synth time. A construct keeps one `PodSafety` and forwards four calls to it.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DEFAULTS } from '../defaults';
import type { LifecycleHooks } from '../hooks/hook';
import { LifecycleHook } from '../hooks/hook';
import type { PodHooksPlan } from '../hooks/plan';
import { planPodHooks } from '../hooks/plan';
import type * as Explain from '../explain/explain';
import type * as ExplainFacts from '../explain/facts';
import type { ExplainedPod } from '../explain/types';
import { ManifestError } from '../k8s/errors';
import { quote } from '../k8s/text';
import type { JsonObject, RuntimeClassFacts } from '../k8s/shapes';
import { HOOK_POSITIONS, ImagePullPolicy } from '../k8s/shapes';
import { RULES } from '../rules/catalogue';
import { formatFinding } from '../rules/format';
import { hasVisibleText, suppressionKey } from '../rules/suppressions';
import type { Finding } from '../rules/types';
import { Origin, Severity } from '../rules/types';
import { judgeContextFor } from './_app-facts';
import { judgeModules } from './_judge';
import type { SynthPass } from './_synth-pass';
import { synthPassOf } from './_synth-pass';
import type { IRuntimeClass } from './runtime-class';
import { SafePodsSettings, WarningMode } from './settings';

/** Rule ids that `allowMutableTag` suppresses for its container. */
export const MUTABLE_TAG_RULES: readonly string[] = Object.freeze(['image-not-pinned', 'image-floating-tag']);

/**
 * Properties of a container of a safe construct: every cdk8s-plus container property, plus the library's. Hooks are
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
   * the pod as the suppression annotations `safe-pods.cdk8s.io/suppress.image-not-pinned.<container>` and
   * `...image-floating-tag.<container>`, so the decision stays visible in the YAML and greppable in the code. The pull
   * policy then defaults to `Always`.
   *
   * @default - mutable tags are refused
   */
  readonly allowMutableTag?: string;
}

/** The pod properties every safe construct takes, besides those of its cdk8s-plus base. */
export interface SafePodSpecProps {
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

/** Where a construct's object keeps its pod: the path of the pod spec and of the pod metadata in its JSON. */
export interface PodShape {
  /** The construct's kind, for messages: `SafePod`, `SafeDeployment`, ... */
  readonly construct: string;
  /** Path of the pod spec, e.g. `['spec']` or `['spec', 'template', 'spec']`. */
  readonly spec: readonly string[];
  /** Path of the metadata the created pods carry, e.g. `['metadata']` or `['spec', 'template', 'metadata']`. */
  readonly metadata: readonly string[];
}

interface ContainerExtras {
  readonly name: string;
  readonly hooks: LifecycleHooks;
  readonly shutdownReserveSeconds?: number;
  readonly allowMutableTag?: string;
}

const SAFETY = new WeakMap<object, PodSafety>();

/** The shape of a `SafePod` (until `init()` says otherwise). */
const POD_SHAPE: PodShape = Object.freeze({ construct: 'SafePod', spec: Object.freeze(['spec']), metadata: Object.freeze(['metadata']) });

/** The hooks of a container that has none. */
const NO_HOOKS: LifecycleHooks = Object.freeze({});

const NO_RUNTIME_CLASSES: readonly RuntimeClassFacts[] = Object.freeze([]);

/**
 * The plan of a pod whose containers have no hooks and the default shutdown reserve, by the author's grace period:
 * `planPodHooks` gives every such pod the same plan (no lifecycles, no annotation), so it is computed once.
 */
const HOOKLESS_PLANS = new Map<number | undefined, PodHooksPlan>();

function hooklessPlan(terminationGracePeriodSeconds: number | undefined): PodHooksPlan {
  let plan = HOOKLESS_PLANS.get(terminationGracePeriodSeconds);
  if (plan === undefined) {
    plan = planPodHooks([], { terminationGracePeriodSeconds });
    HOOKLESS_PLANS.set(terminationGracePeriodSeconds, plan);
  }
  return plan;
}

/** The cdk8s-plus enum member of a pull policy (the same Kubernetes strings, another enum). */
const KPLUS_PULL_POLICY: Readonly<Record<ImagePullPolicy, kplus.ImagePullPolicy>> = {
  [ImagePullPolicy.ALWAYS]: kplus.ImagePullPolicy.ALWAYS,
  [ImagePullPolicy.IF_NOT_PRESENT]: kplus.ImagePullPolicy.IF_NOT_PRESENT,
  [ImagePullPolicy.NEVER]: kplus.ImagePullPolicy.NEVER,
};

/** Whether a container adds nothing to the hooks plan: no hooks, the default shutdown reserve. */
function isHookless(c: ContainerExtras): boolean {
  return (
    (c.hooks === NO_HOOKS || (c.hooks.postStart === undefined && c.hooks.preStop === undefined)) &&
    (c.shutdownReserveSeconds === undefined || c.shutdownReserveSeconds === DEFAULTS.shutdownReserveSeconds)
  );
}

/**
 * `{ ...base, ...fields }`, built with `Object.assign` on a fresh literal: V8 gives every such copy the same hidden
 * class, where a spread followed by more properties gives copies that cdk8s-plus then reads more slowly (measured:
 * about 7 µs per container on a cold process).
 */
function withFields<T extends object, F extends object>(base: T, fields: F): Omit<T, keyof F> & F {
  return Object.assign({}, base, fields);
}

function isEmpty(obj: object): boolean {
  for (const _ in obj) return false;
  return true;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as JsonObject)[key]);
  return out;
}

/** Returns `obj` with the value at `path` replaced by `update(old)`, copying only the objects on the path. */
function updateAt(obj: JsonObject, path: readonly string[], update: (old: JsonObject) => JsonObject): JsonObject {
  if (path.length === 0) return update(obj);
  const [head, ...rest] = path;
  const child = obj[head];
  return { ...obj, [head]: updateAt(child !== null && typeof child === 'object' ? (child as JsonObject) : {}, rest, update) };
}

/**
 * The safe-pod behaviour of one construct. Created on first use (cdk8s-plus adds the containers of the props inside
 * its own constructor, before the subclass's fields exist), configured by `init()` once the construct is built.
 *
 * @internal
 */
export class PodSafety {
  /** The `PodSafety` of a construct (created on first use). */
  public static of(owner: kplus.AbstractPod): PodSafety {
    let safety = SAFETY.get(owner);
    if (!safety) {
      safety = new PodSafety(owner);
      SAFETY.set(owner, safety);
    }
    return safety;
  }

  /** Whether `construct` is a safe construct (it has a `PodSafety`). */
  public static has(construct: object): boolean {
    return SAFETY.has(construct);
  }

  /** Whether the kubelet injects service-link variables into the pod's containers. */
  public enableServiceLinks: boolean = DEFAULTS.enableServiceLinks;
  /** The RuntimeClass of the pod. */
  public runtimeClass?: IRuntimeClass | string;

  private shape: PodShape = POD_SHAPE;
  private pullSecretNames: readonly string[] = [];
  private authorGracePeriodSeconds?: number;
  private readonly extras: ContainerExtras[] = [];
  private readonly errors: ManifestError[] = [];
  private plan?: PodHooksPlan;
  /** What the last validation judged: its pass, the lines it returned and, when they are none, the JSON to write. */
  private judged?: { readonly pass: number; readonly lines: string[]; readonly json?: JsonObject };

  private l1Cache?: ApiObject;
  private passCache?: SynthPass;

  private constructor(private readonly owner: kplus.AbstractPod) {}

  /** The L1 object of the construct. */
  private get l1(): ApiObject {
    return (this.l1Cache ??= ApiObject.of(this.owner));
  }

  /** The synth pass of the construct's app (its root never changes). */
  private get pass(): SynthPass {
    return (this.passCache ??= synthPassOf(this.owner));
  }

  /**
   * Configures the construct once its cdk8s-plus base is built: reads the pod props, wraps the L1 `toJson` (to write
   * what the 1.27 schema drops and to reuse the JSON judged in the same synth) and registers the validation.
   */
  public init(shape: PodShape, props: SafePodSpecProps & { readonly terminationGracePeriod?: { toSeconds(): number } }): void {
    this.shape = shape;
    this.enableServiceLinks = props.enableServiceLinks ?? DEFAULTS.enableServiceLinks;
    this.authorGracePeriodSeconds = props.terminationGracePeriod?.toSeconds();
    this.runtimeClass = props.runtimeClass;
    if (props.imagePullSecrets !== undefined) this.pullSecretNames = props.imagePullSecrets.map((s) => (typeof s === 'string' ? s : s.name));
    this.owner.node.addValidation({ validate: () => this.validate() });
    const l1 = this.l1;
    const toJson = l1.toJson.bind(l1);
    const pass = this.pass;
    // the object judged during validation is the object written, in that synth only: a construct validated in a synth
    // of another chart is not written by it, and the next synth renders afresh. Inside an App.synth() the JSON serves
    // until the synth returns (it validates once per chart); otherwise it serves once.
    l1.toJson = (): JsonObject => {
      const judged = this.judged;
      if (judged?.json !== undefined && judged.pass === pass.id) {
        if (!pass.inSynth) this.judged = undefined;
        return judged.json;
      }
      this.judged = undefined;
      this.plan = undefined; // containers may have been added since the last render
      return this.finish(toJson());
    };
  }

  /**
   * The cdk8s-plus container props for a safe container: an explicit `imagePullPolicy` (the author's, else `Always`
   * for an allowed mutable tag, else `IfNotPresent`), the library's props recorded. Mistakes are collected and
   * reported with the findings at synth.
   */
  public prepareContainer(cont: SafeContainerProps, defaultName: string): kplus.ContainerProps {
    const name = cont.name ?? defaultName;
    const { allowMutableTag, hooks, shutdownReserveSeconds, lifecycle } = cont;
    if (allowMutableTag === undefined && hooks === undefined && shutdownReserveSeconds === undefined && lifecycle === undefined) {
      // none of the library's props (the common container): cdk8s-plus reads only its own props
      this.extras.push({ name, hooks: NO_HOOKS });
      return withFields(cont, { name, imagePullPolicy: cont.imagePullPolicy ?? KPLUS_PULL_POLICY[DEFAULTS.imagePullPolicy] });
    }
    const { allowMutableTag: _a, hooks: _h, shutdownReserveSeconds: _s, lifecycle: _l, ...rest } = cont;
    const where = `container ${JSON.stringify(name)}`;
    if (lifecycle !== undefined) {
      this.error(
        `${where}: lifecycle takes cdk8s-plus Handlers, which allow tcpSocket hooks the kubelet never runs and exec hooks without a time ` +
          'bound; use hooks: { preStop: LifecycleHook.exec([...]) } instead',
        'lifecycle',
      );
    }
    for (const position of HOOK_POSITIONS) {
      const hook = hooks?.[position];
      if (hook !== undefined && !LifecycleHook.isLifecycleHook(hook)) {
        this.error(
          `${where}: hooks.${position} is not a LifecycleHook; build it with LifecycleHook.exec(), httpGet() or sleep()`,
          `lifecycle.${position}`,
        );
      }
    }
    if (shutdownReserveSeconds !== undefined && (!Number.isInteger(shutdownReserveSeconds) || shutdownReserveSeconds < 0)) {
      this.error(
        `${where}: shutdownReserveSeconds ${JSON.stringify(shutdownReserveSeconds)} is not a whole number of seconds; give e.g. 10`,
        'shutdownReserveSeconds',
      );
    }
    if (allowMutableTag !== undefined && !hasVisibleText(allowMutableTag)) {
      this.error(
        `${where}: allowMutableTag ${quote(allowMutableTag)} gives no reason; give the reason the mutable tag is accepted, e.g. "local kind cluster"`,
        'allowMutableTag',
      );
    }
    const validHooks: LifecycleHooks = Object.fromEntries(
      HOOK_POSITIONS.filter((p) => LifecycleHook.isLifecycleHook(hooks?.[p])).map((p) => [p, hooks![p]]),
    );
    this.extras.push({
      name,
      hooks: validHooks,
      shutdownReserveSeconds: this.isReserve(shutdownReserveSeconds) ? shutdownReserveSeconds : undefined,
      allowMutableTag,
    });
    const accepted = allowMutableTag !== undefined && hasVisibleText(allowMutableTag);
    const imagePullPolicy = cont.imagePullPolicy ?? KPLUS_PULL_POLICY[accepted ? DEFAULTS.mutableTagPullPolicy : DEFAULTS.imagePullPolicy];
    return withFields(rest, { name, imagePullPolicy });
  }

  /** `prepareContainer` for an init container: named `init-<n>` by default, as cdk8s-plus names it. */
  public prepareInitContainer(cont: SafeContainerProps): kplus.ContainerProps {
    return this.prepareContainer(cont, `init-${this.owner.initContainers.length}`);
  }

  /** The pod spec with the library's pod fields: service links, RuntimeClass, pull secrets, the planned grace period. */
  public patchPodSpec(spec: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    const secrets =
      this.pullSecretNames.length > 0 ? [...(spec.imagePullSecrets ?? []), ...this.pullSecretNames.map((name) => ({ name }))] : spec.imagePullSecrets;
    return withFields(spec, {
      enableServiceLinks: this.enableServiceLinks,
      runtimeClassName: typeof this.runtimeClass === 'string' ? this.runtimeClass : this.runtimeClass?.name,
      imagePullSecrets: secrets && secrets.length > 0 ? secrets : undefined,
      terminationGracePeriodSeconds: this.hooksPlan().gracePeriod.seconds,
    });
  }

  /** Runs every rule over the object as it would be synthesized now (errors and warnings). */
  public findings(): Finding[] {
    return this.judge(this.owner.containers.length === 0 ? this.emptyPod() : this.render(), false);
  }

  /**
   * What the kubelet will build for each container of the pods (environment with the app's Services, ConfigMaps and
   * Secrets as facts, pull policy, RuntimeClass) and the pods' start and stop timeline, as the object is now.
   */
  public explain(): ExplainedPod {
    const settings = SafePodsSettings.of(this.owner);
    const declared: RuntimeClassFacts[] = this.runtimeClass !== undefined && typeof this.runtimeClass !== 'string' ? [this.runtimeClass.facts()] : [];
    const ctx = judgeContextFor(this.owner, settings, undefined, declared, Origin.CONSTRUCT);
    const appObjects = this.owner.node.root.node
      .findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && (c.kind === 'ConfigMap' || c.kind === 'Secret'))
      .map((c) => c.toJson());
    // loaded at first use: importing the library loads none of explain (BENCHMARKS.md, require time)
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { explainPod } = require('../explain/explain') as typeof Explain;
    const { configSourcesOf } = require('../explain/facts') as typeof ExplainFacts;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return explainPod(this.render(), { ...ctx, configSources: configSourcesOf(appObjects) });
  }

  /** The object as it would be synthesized now, rendered afresh (never the JSON cached for the current synth). */
  public toJson(): JsonObject {
    return this.render();
  }

  private isReserve(x: number | undefined): boolean {
    return x !== undefined && Number.isInteger(x) && x >= 0;
  }

  private error(message: string, field: string): void {
    const e = new ManifestError(message, field, { path: this.owner.node.path });
    if (process.env.CDK8S_SAFE_PODS_DEBUG) Error.captureStackTrace(e);
    this.errors.push(e);
  }

  private hooksPlan(): PodHooksPlan {
    this.plan ??= this.extras.every(isHookless)
      ? hooklessPlan(this.authorGracePeriodSeconds)
      : planPodHooks(this.extras, { terminationGracePeriodSeconds: this.authorGracePeriodSeconds });
    return this.plan;
  }

  private render(): JsonObject {
    this.judged = undefined;
    return this.l1.toJson() as JsonObject;
  }

  /** Writes what the L1 cannot carry: container hooks (its 1.27 schema drops `sleep`) and the pod annotations. */
  private finish(json: JsonObject): JsonObject {
    const plan = this.hooksPlan();
    if (plan.lifecycles.size === 0 && isEmpty(plan.annotations) && !this.extras.some((c) => c.allowMutableTag !== undefined)) return json;
    const annotations: Record<string, string> = { ...plan.annotations };
    for (const c of this.extras) {
      if (c.allowMutableTag === undefined || !hasVisibleText(c.allowMutableTag)) continue;
      for (const rule of MUTABLE_TAG_RULES) annotations[suppressionKey(rule, c.name)] = c.allowMutableTag;
    }
    if (plan.lifecycles.size === 0 && Object.keys(annotations).length === 0) return json;
    let out = json;
    if (plan.lifecycles.size > 0) {
      out = updateAt(out, this.shape.spec, (spec) => {
        const next: JsonObject = { ...spec };
        for (const list of ['containers', 'initContainers'] as const) {
          const cs = spec[list];
          if (!Array.isArray(cs)) continue;
          next[list] = cs.map((c: JsonObject) => {
            const lifecycle = plan.lifecycles.get(c.name as string);
            return lifecycle ? { ...c, lifecycle } : c;
          });
        }
        // keep the key order cdk8s writes (sorted), so the YAML stays deterministic and diff-friendly
        return sortKeys(next) as JsonObject;
      });
    }
    if (Object.keys(annotations).length > 0) {
      out = updateAt(out, this.shape.metadata, (metadata) => {
        const existing = (metadata.annotations ?? {}) as JsonObject;
        return sortKeys({ ...metadata, annotations: { ...existing, ...annotations } }) as JsonObject;
      });
    }
    return out;
  }

  private judge(json: JsonObject, inSynth = true): Finding[] {
    const settings = SafePodsSettings.of(this.owner);
    const pass = inSynth ? this.pass : undefined;
    // a class the cluster provides (RuntimeClass.fromName) is known to exist for this pod
    const declared = this.runtimeClass !== undefined && typeof this.runtimeClass !== 'string' ? [this.runtimeClass.facts()] : NO_RUNTIME_CLASSES;
    const ctx = judgeContextFor(this.owner, settings, pass, declared, Origin.CONSTRUCT);
    const { subjectsOf, judgeSubject } = judgeModules();
    const subjects = subjectsOf(json);
    // a pod is one subject: its findings as the judge returns them
    if (subjects.length === 1) return judgeSubject(subjects[0], ctx, RULES);
    const out: Finding[] = [];
    for (const subject of subjects) out.push(...judgeSubject(subject, ctx, RULES));
    return out;
  }

  private validate(): string[] {
    const pass = this.pass;
    // a later validation of the same App.synth(): nothing can have changed since the first, judged in this pass
    if (pass.inSynth && this.judged !== undefined && this.judged.pass === pass.id) return this.judged.lines;
    const { lines, json } = this.judgeForSynth();
    // the JSON is written only when nothing fails the synth
    this.judged = lines.length === 0 ? { pass: pass.id, lines, json } : { pass: pass.id, lines };
    return lines;
  }

  /** The lines of a validation, and the JSON judged (`undefined` when it cannot be rendered). */
  private judgeForSynth(): { readonly lines: string[]; readonly json?: JsonObject } {
    const errors =
      this.errors.length === 0
        ? []
        : this.errors.map((e) => `error: ${e.message}${e.stack && process.env.CDK8S_SAFE_PODS_DEBUG ? `\n${e.stack}` : ''}`);
    if (this.owner.containers.length === 0) return { lines: [...errors, ...this.report(this.judge(this.emptyPod()))] };
    let json: JsonObject;
    try {
      json = this.render();
    } catch (e) {
      // cdk8s-plus reports some mistakes only while rendering: its message, without its serialization prefix
      const cause = (e as Error & { cause?: unknown }).cause;
      return { lines: [...errors, `error: cannot be rendered: ${cause instanceof Error ? cause.message : (e as Error).message}`] };
    }
    const lines = this.report(this.judge(json));
    return { lines: errors.length === 0 ? lines : [...errors, ...lines], json };
  }

  /** cdk8s-plus cannot render a pod without containers: the object with an empty pod spec, so the finding is the rule's. */
  private emptyPod(): JsonObject {
    const l1 = this.l1;
    return updateAt({ apiVersion: l1.apiVersion, kind: l1.kind, metadata: { name: l1.name } }, this.shape.spec, () => ({ containers: [] }));
  }

  /** The lines that fail the synth; warnings are printed (or fail it) as the settings say. */
  private report(findings: readonly Finding[]): string[] {
    if (findings.length === 0) return [];
    const settings = SafePodsSettings.of(this.owner);
    const l1 = this.l1;
    const subject = { kind: l1.kind, name: l1.name, ...(l1.metadata.namespace !== undefined ? { namespace: l1.metadata.namespace } : {}) };
    const lines: string[] = [];
    for (const f of findings) {
      const line = formatFinding({ ...f, ...subject });
      if (f.severity === Severity.ERROR || settings.warnings === WarningMode.FAIL) lines.push(line);
      else if (settings.warnings === WarningMode.PRINT) this.pass.warn(`[${this.owner.node.path}] ${line}`);
    }
    return lines;
  }
}

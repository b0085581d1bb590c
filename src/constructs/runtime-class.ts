import type { ApiObjectMetadata } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { DEFAULTS } from '../defaults';
import { ManifestError } from '../k8s/errors';
import type { FieldError } from '../k8s/field-error';
import type { TaintEffect, TolerationJson, TolerationOperator } from '../k8s/tolerations';
import { ResourceQuantity } from '../k8s/quantity';
import type { JsonObject, RuntimeClassFacts } from '../k8s/shapes';
import type { IRuntimeClass } from '../runtime-class/resolve';
import type { RuntimeClassJson } from '../runtime-class/validation';
import { validateRuntimeClass, validateRuntimeClassName } from '../runtime-class/validation';

export type { IRuntimeClass } from '../runtime-class/resolve';

const RUNTIME_CLASS_SYMBOL = Symbol.for('cdk8s-safe-pods.RuntimeClass');

/** A toleration the RuntimeClass adds to its pods at admission. */
export interface RuntimeClassToleration {
  /**
   * The taint key; leave empty with `TolerationOperator.EXISTS` to tolerate every taint.
   *
   * @default - empty
   */
  readonly key?: string;
  /**
   * How the value is matched.
   *
   * @default TolerationOperator.EQUAL
   */
  readonly operator?: TolerationOperator;
  /**
   * The taint value (`EQUAL` only).
   *
   * @default - empty
   */
  readonly value?: string;
  /**
   * The taint effect tolerated.
   *
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * Seconds a `NO_EXECUTE` taint is tolerated.
   *
   * @default - forever
   */
  readonly tolerationSeconds?: number;
}

/** Scheduling constraints admission adds to every pod of the class. */
export interface RuntimeClassScheduling {
  /**
   * Labels nodes must have; merged into each pod's `nodeSelector` (a conflicting pod is rejected).
   *
   * @default - no node selector
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Tolerations appended to each pod's (duplicates merged).
   *
   * @default - no tolerations
   */
  readonly tolerations?: readonly RuntimeClassToleration[];
}

/** Resources the runtime itself uses per pod. */
export interface RuntimeClassOverhead {
  /** Fixed overhead per pod, e.g. `{ cpu: '250m', memory: '160Mi' }`; added to the pod's requests by scheduler and quota. */
  readonly podFixed: Readonly<Record<string, string>>;
}

/** Properties for `RuntimeClass`. */
export interface RuntimeClassProps {
  /**
   * The CRI handler (runtime) configured on the nodes, e.g. `runsc` (gVisor) or `kata-qemu`. A lowercase DNS-1123 label;
   * immutable once created.
   */
  readonly handler: string;
  /**
   * Metadata; `name` is what pods write in `spec.runtimeClassName`. A namespace is not allowed: RuntimeClass is
   * cluster-scoped.
   *
   * @default - a name generated from the construct path
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Per-pod resource overhead of the runtime (copied into each pod's `spec.overhead` at admission).
   *
   * @default - no overhead
   */
  readonly overhead?: RuntimeClassOverhead;
  /**
   * Where pods of the class may run.
   *
   * @default - every node (the handler must then exist on every node)
   */
  readonly scheduling?: RuntimeClassScheduling;
}

/** Options of the preset factories (`RuntimeClass.gvisor`, `RuntimeClass.kataQemu`): everything but the handler. */
export interface RuntimeClassPresetOptions {
  /**
   * Metadata.
   *
   * @default - the preset's name (`gvisor`, `kata-qemu`)
   */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Overhead.
   *
   * @default - the preset's overhead
   */
  readonly overhead?: RuntimeClassOverhead;
  /**
   * Scheduling.
   *
   * @default - the preset's scheduling
   */
  readonly scheduling?: RuntimeClassScheduling;
}

/** The generated L1 with the one fix a cluster-scoped kind needs: no `metadata.namespace`, even in a namespaced chart. */
class ClusterScopedKubeRuntimeClass extends kplus.k8s.KubeRuntimeClass {
  public override toJson(): { [key: string]: unknown } {
    const json = super.toJson() as { metadata?: { namespace?: string } };
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}

/** A fix hint per field, for constructor errors. */
function fixFor(e: FieldError): string {
  const f = e.field;
  if (f === 'handler') {
    const v = String(e.value ?? '');
    const eg = v.includes('.') ? `, e.g. ${JSON.stringify(v.replace(/\./g, '-'))}` : ', e.g. "runsc" or "kata-qemu"';
    return `use the handler name configured in the nodes' CRI runtime, lowercase letters, digits and "-" only${eg}`;
  }
  if (f === 'metadata.name') return 'use a lowercase DNS subdomain, e.g. "gvisor" or "kata.fc"';
  if (f === 'metadata.namespace') return 'remove the namespace: RuntimeClass is cluster-scoped';
  if (f.startsWith('overhead.podFixed'))
    return 'use cpu, memory or ephemeral-storage with a non-negative quantity, e.g. { cpu: "250m", memory: "160Mi" }';
  if (f.startsWith('scheduling.nodeSelector'))
    return 'use a label key (optional DNS prefix and "/", then a name) and a label value of at most 63 characters';
  return 'see the Kubernetes Toleration reference: operator Exists or Equal, effect NoSchedule, PreferNoSchedule or NoExecute, tolerationSeconds only with NoExecute';
}

function describeError(e: FieldError): string {
  const detail = e.detail.replace(/ \(e\.g\. .*regex used for validation is .*\)$/, '').replace(/ \(regex used for validation is .*\)$/, '');
  const value = e.value === undefined ? '' : ` ${JSON.stringify(e.value)}`;
  return `${e.field}${value} is invalid (${detail || e.type})`;
}

function toFactsTolerations(t: readonly RuntimeClassToleration[] | undefined): readonly JsonObject[] | undefined {
  return t?.map((x) => ({ ...x }) as JsonObject);
}

/**
 * A `node.k8s.io/v1` RuntimeClass: a named container runtime (handler) that pods select with `spec.runtimeClassName`,
 * with optional per-pod overhead and scheduling constraints. Invalid input throws `ManifestError` in the constructor;
 * the object never carries `metadata.namespace`.
 *
 * @group Constructs
 */
export class RuntimeClass extends Construct implements IRuntimeClass {
  /**
   * gVisor: `new RuntimeClass(scope, id, { metadata: { name: 'gvisor' }, handler: 'runsc' })`, no overhead, no scheduling.
   * The nodes' containerd must define a `runsc` runtime handler.
   */
  public static gvisor(scope: Construct, id: string, options: RuntimeClassPresetOptions = {}): RuntimeClass {
    const p = DEFAULTS.gvisorRuntimeClass;
    return new RuntimeClass(scope, id, {
      handler: p.handler,
      metadata: { name: p.name, ...options.metadata },
      overhead: options.overhead,
      scheduling: options.scheduling,
    });
  }

  /**
   * Kata Containers with QEMU, as kata-deploy installs it: name `kata-qemu`, handler `kata-qemu`,
   * `overhead.podFixed: { memory: '160Mi', cpu: '250m' }`,
   * `scheduling.nodeSelector: { 'katacontainers.io/kata-runtime': 'true' }`.
   */
  public static kataQemu(scope: Construct, id: string, options: RuntimeClassPresetOptions = {}): RuntimeClass {
    const p = DEFAULTS.kataQemuRuntimeClass;
    return new RuntimeClass(scope, id, {
      handler: p.handler,
      metadata: { name: p.name, ...options.metadata },
      overhead: options.overhead ?? { podFixed: { ...p.podFixed } },
      scheduling: options.scheduling ?? { nodeSelector: { ...p.nodeSelector } },
    });
  }

  /**
   * Refers to a RuntimeClass the cluster provides but the app does not define (e.g. GKE Sandbox's `gvisor`).
   * `facts` may describe its spec; without them, the spec is unknown and only the name is checked.
   */
  public static fromName(name: string, facts: Omit<RuntimeClassFacts, 'name'> = {}): IRuntimeClass {
    const errs = validateRuntimeClassName(name);
    if (name === '' || errs.length > 0) {
      const why = name === '' ? 'the name is empty' : errs[0].replace(/ \(e\.g\..*$/, '');
      throw new ManifestError(
        `RuntimeClass.fromName(${JSON.stringify(name)}): ${JSON.stringify(name)} is not a valid RuntimeClass name (${why}); use the metadata.name of the cluster's RuntimeClass, e.g. "gvisor"`,
        'metadata.name',
      );
    }
    const all: RuntimeClassFacts = { ...facts, name };
    return { name, facts: () => all };
  }

  /** Whether `x` is a `RuntimeClass` construct (works across copies of this package). */
  public static isRuntimeClass(x: unknown): x is RuntimeClass {
    return x !== null && typeof x === 'object' && RUNTIME_CLASS_SYMBOL in x;
  }

  /** Every `RuntimeClass` defined in `scope` and below, in construct order. */
  public static allIn(scope: IConstruct): RuntimeClass[] {
    return scope.node.findAll().filter((c): c is RuntimeClass => RuntimeClass.isRuntimeClass(c));
  }

  /**
   * The classes known to an app, by name, for `JudgeContext.runtimeClasses`: every `RuntimeClass` in `scope`, plus
   * the given references (e.g. `RuntimeClass.fromName` ones used by pods).
   */
  public static knownIn(scope: IConstruct, ...refs: IRuntimeClass[]): Map<string, RuntimeClassFacts> {
    const out = new Map<string, RuntimeClassFacts>();
    for (const rc of RuntimeClass.allIn(scope)) out.set(rc.name, rc.facts());
    for (const r of refs) if (!out.has(r.name)) out.set(r.name, r.facts());
    return out;
  }

  /** `metadata.name`: the value pods write in `spec.runtimeClassName`. */
  public readonly name: string;
  /** The CRI handler. */
  public readonly handler: string;
  /** The generated API object. */
  public readonly apiObject: kplus.k8s.KubeRuntimeClass;
  private readonly json: RuntimeClassJson;

  constructor(scope: Construct, id: string, props: RuntimeClassProps) {
    super(scope, id);
    Object.defineProperty(this, RUNTIME_CLASS_SYMBOL, { value: true });
    const podFixed = props.overhead?.podFixed;
    const tolerations = props.scheduling?.tolerations as readonly TolerationJson[] | undefined;
    this.json = {
      metadata:
        props.metadata?.name !== undefined || props.metadata?.namespace !== undefined
          ? { name: props.metadata?.name, namespace: props.metadata?.namespace }
          : undefined,
      handler: props.handler,
      overhead: props.overhead ? { podFixed: { ...podFixed } } : undefined,
      scheduling: props.scheduling ? { nodeSelector: props.scheduling.nodeSelector, tolerations } : undefined,
    };
    // a generated name is valid by construction; check everything else the API server checks
    const errors = validateRuntimeClass({ ...this.json, metadata: { ...this.json.metadata, name: this.json.metadata?.name ?? 'generated' } });
    if (errors.length > 0) {
      const first = errors[0];
      const more =
        errors.length > 1
          ? ` (and ${errors.length - 1} more: ${errors
              .slice(1)
              .map((e) => e.field)
              .join(', ')})`
          : '';
      throw new ManifestError(`RuntimeClass ${JSON.stringify(this.node.path)}: ${describeError(first)}; ${fixFor(first)}${more}`, first.field);
    }

    this.handler = props.handler;
    this.apiObject = new ClusterScopedKubeRuntimeClass(this, 'Resource', {
      metadata: { ...props.metadata, namespace: undefined },
      handler: props.handler,
      overhead: podFixed
        ? { podFixed: Object.fromEntries(Object.entries(podFixed).map(([k, v]) => [k, kplus.k8s.Quantity.fromString(v)])) }
        : undefined,
      scheduling: props.scheduling
        ? {
            nodeSelector: props.scheduling.nodeSelector ? { ...props.scheduling.nodeSelector } : undefined,
            tolerations: tolerations?.map((t) => ({ ...t })),
          }
        : undefined,
    });
    this.name = this.apiObject.name;
    this.node.addValidation({ validate: () => this.validateUniqueName() });
  }

  /** What pods need to know about this class (`JudgeContext.runtimeClasses` values). */
  public facts(): RuntimeClassFacts {
    const podFixed = this.json.overhead?.podFixed;
    return {
      name: this.name,
      handler: this.handler,
      podFixedOverhead: podFixed
        ? Object.fromEntries(Object.entries(podFixed).map(([k, v]) => [k, ResourceQuantity.fromJson(v).toString()]))
        : undefined,
      nodeSelector: this.json.scheduling?.nodeSelector,
      tolerations: toFactsTolerations(this.json.scheduling?.tolerations as readonly RuntimeClassToleration[] | undefined),
    };
  }

  private validateUniqueName(): string[] {
    const same = RuntimeClass.allIn(this.node.root).filter((rc) => rc.name === this.name);
    if (same.length < 2 || same[0] !== this) return [];
    return [
      `RuntimeClass ${JSON.stringify(this.name)} is defined ${same.length} times (${same.map((rc) => JSON.stringify(rc.node.path)).join(', ')}); ` +
        'RuntimeClass is cluster-scoped, so one name is one object; give each a distinct metadata.name or define it once',
    ];
  }
}

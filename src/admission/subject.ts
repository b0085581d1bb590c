/**
 * How a policy reaches the pod spec of every built-in kind that holds one, the way the judge's `subjectsOf` does:
 * the resources it matches, the pod spec of each kind, the annotations the judge merges (innermost template wins),
 * and the shared `variables` the per-rule checks build on.
 */
import { DEFAULTS } from '../defaults';
import { HOOK_BUDGETS_ANNOTATION } from '../hooks/budget';
import { builtInPodPaths } from '../rules/normalize';
import { SUPPRESS_ANNOTATION_PREFIX } from '../rules/suppressions';
import { and, ifThen, matches, not, or, str, strList, v } from './cel';
import type { AdmissionVariable, CheckContext } from './check';
import { VISIBLE_TEXT } from './patterns';

/** A built-in kind with a pod spec, as the judge's `subjectsOf` reads it and as a policy matches it. */
export interface PodKind {
  /** `kind`, e.g. `Deployment`. */
  readonly kind: string;
  /** The API group served today (`''` for core). */
  readonly group: string;
  /** The API version served today. */
  readonly version: string;
  /** The resource (plural) admission sees. */
  readonly resource: string;
  /** Where the pod spec sits, e.g. `['spec', 'template', 'spec']`. */
  readonly spec: readonly string[];
  /** The metadata objects whose annotations apply to the pods, outermost first, after the object's own. */
  readonly templateMeta: readonly (readonly string[])[];
}

/** The group, version and resource Kubernetes 1.30+ serves for each built-in kind with a pod spec. */
const SERVED: ReadonlyArray<Pick<PodKind, 'kind' | 'group' | 'version' | 'resource'>> = [
  { kind: 'Pod', group: '', version: 'v1', resource: 'pods' },
  { kind: 'ReplicationController', group: '', version: 'v1', resource: 'replicationcontrollers' },
  { kind: 'PodTemplate', group: '', version: 'v1', resource: 'podtemplates' },
  { kind: 'Deployment', group: 'apps', version: 'v1', resource: 'deployments' },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', resource: 'statefulsets' },
  { kind: 'DaemonSet', group: 'apps', version: 'v1', resource: 'daemonsets' },
  { kind: 'ReplicaSet', group: 'apps', version: 'v1', resource: 'replicasets' },
  { kind: 'Job', group: 'batch', version: 'v1', resource: 'jobs' },
  { kind: 'CronJob', group: 'batch', version: 'v1', resource: 'cronjobs' },
];

/**
 * Every built-in kind with a pod spec (the kinds `subjectsOf` judges), with the group and version Kubernetes 1.30+
 * serves; where the pod spec and the template metadata sit comes from the judge's own table (`builtInPodPaths`).
 */
export const POD_KINDS: readonly PodKind[] = Object.freeze(
  SERVED.map((k) => {
    const paths = builtInPodPaths(k.kind);
    if (paths === undefined) throw new Error(`admission: the judge has no pod spec path for ${k.kind}`);
    return { ...k, spec: paths.spec, templateMeta: paths.templateMeta };
  }),
);

/** Name of the policy annotation listing the rule ids a policy enforces. */
export const RULES_ANNOTATION = 'safe-pods.cdk8s.io/rules';

/** `root.a.b.c` for a path. */
function select(root: string, path: readonly string[]): string {
  return [root, ...path].join('.');
}

/** `has(root.a) && has(root.a.b) && ...`: the path exists. */
function hasPath(root: string, path: readonly string[]): string {
  return and(...path.map((_, i) => `has(${select(root, path.slice(0, i + 1))})`));
}

/** Chooses per kind: `root.kind == 'A' ? a : (root.kind == 'B' ? b : other)`, grouping kinds with the same result. */
function byKind(root: string, value: (k: PodKind) => string): string {
  const groups = new Map<string, string[]>();
  for (const k of POD_KINDS) {
    const text = value(k);
    groups.set(text, [...(groups.get(text) ?? []), k.kind]);
  }
  const entries = [...groups];
  // the largest group is the fallback, so each expression tests as few kinds as possible
  entries.sort((a, b) => a[1].length - b[1].length);
  let out = entries[entries.length - 1][0];
  for (const [text, kinds] of entries.slice(0, -1).reverse()) {
    const test = kinds.length === 1 ? `${root}.kind == ${str(kinds[0])}` : `${root}.kind in [${kinds.map(str).join(', ')}]`;
    out = ifThen(test, text, out);
  }
  return out;
}

/**
 * `object` (or `oldObject`) as `dyn`: one expression reaches a different path for each matched kind, and Kubernetes
 * type-checks every expression against every matched kind (warnings in `status.typeChecking`, e.g. a Pod has no
 * `spec.template`); `dyn` leaves the path to runtime, where only the branch of the object's kind is taken.
 */
function dynRoot(name: 'object' | 'oldObject'): string {
  return `dyn(${name})`;
}

/** The pod spec of `root` (`dyn(object)` or `dyn(oldObject)`), whatever its kind. */
export function podSpecOf(root: string): string {
  return byKind(root, (k) => select(root, k.spec));
}

/** Whether `object` has a pod spec where its kind keeps one (always true for objects the API server decoded). */
export function hasPodSpec(root: string): string {
  return byKind(root, (k) => hasPath(root, k.spec));
}

/**
 * The annotations of one metadata object on the way to the pod spec, or `{}`: `level` 0 is the innermost template
 * (a Pod's own metadata), 1 the CronJob's job template, 2 the object's own metadata (templates only).
 */
function annotationsAt(level: 0 | 1 | 2): string {
  return byKind(dynRoot('object'), (k) => {
    const metas: (readonly string[])[] = [['metadata'], ...k.templateMeta];
    const meta =
      level === 0 ? metas[metas.length - 1] : level === 1 ? (metas.length === 3 ? metas[1] : undefined) : metas.length > 1 ? metas[0] : undefined;
    if (meta === undefined) return '{}';
    const path = [...meta, 'annotations'];
    return ifThen(hasPath(dynRoot('object'), path), select(dynRoot('object'), path), '{}');
  });
}

const PREFIX = SUPPRESS_ANNOTATION_PREFIX;

/** The effective value of annotation `key` (a CEL expression) after the judge's merge: innermost template wins. */
function effective(key: string): string {
  return ifThen(
    `${key} in ${v('annPod')}`,
    `${v('annPod')}[${key}]`,
    ifThen(`${key} in ${v('annJob')}`, `${v('annJob')}[${key}]`, ifThen(`${key} in ${v('annObj')}`, `${v('annObj')}[${key}]`, "''")),
  );
}

/** The description of a container in messages, as the judge's `describeContainer` words it. */
const KIND_OF_LIST: Readonly<Record<string, string>> = {
  initContainers: 'init container',
  containers: 'container',
  ephemeralContainers: 'ephemeral container',
};

/** The suppression annotation keys of the object and its templates, each once per metadata object it is on. */
export function suppressionKeys(): string {
  return `(${['annPod', 'annJob', 'annObj'].map((m) => `${v(m)}.filter(k, k.startsWith(${str(PREFIX)}))`).join(' + ')})`;
}

/** The rule id a suppression key names (the text after the prefix, up to the first dot). */
export function suppressionRule(key: string): string {
  return `${key}.substring(${PREFIX.length}).split('.')[0]`;
}

/** Whether a suppression key names a container (`<prefix><rule>.<container>`). */
function namesContainer(key: string): string {
  return `${key}.substring(${PREFIX.length}).contains('.')`;
}

/** The container a suppression key names (the text after the first dot after the prefix); only where `namesContainer`. */
export function suppressionContainer(key: string): string {
  const rest = `${key}.substring(${PREFIX.length})`;
  return `${rest}.substring(${rest}.indexOf('.') + 1)`;
}

/** Whether the merged value of annotation `key` gives a reason (`hasVisibleText`: a letter, digit, punctuation or symbol). */
export function hasReason(key: string): string {
  return matches(effective(key), VISIBLE_TEXT);
}

/** Whether the suppression key names a container (it has one) that the pod has no container of that name for. */
export function namesUnknownContainer(key: string): string {
  return and(namesContainer(key), `!${v('containers')}.exists(c, c.name == ${suppressionContainer(key)})`);
}

/** Whether the suppression key names a rule of the catalogue (its checks: the judge's `RULES`, switched off or not). */
export function namesKnownRule(ctx: CheckContext, key: string): string {
  return `${suppressionRule(key)} in ${strList(ctx.knownRuleIds)}`;
}

/** The shared variables, in an order where each only uses earlier ones. */
export const SUBJECT_VARIABLES: readonly AdmissionVariable[] = Object.freeze([
  { name: 'spec', expression: () => podSpecOf(dynRoot('object')), uses: [] },
  { name: 'annPod', expression: () => annotationsAt(0), uses: [] },
  { name: 'annJob', expression: () => annotationsAt(1), uses: [] },
  { name: 'annObj', expression: () => annotationsAt(2), uses: [] },
  {
    // every container with its list: {'list', 'kind' (for messages), 'name', 'c' (the container)}
    name: 'containers',
    expression: () =>
      ['initContainers', 'containers', 'ephemeralContainers']
        .map(
          (list) =>
            `(has(${v('spec')}.${list}) ? ${v('spec')}.${list} : []).map(c, {'list': dyn(${str(list)}), 'kind': dyn(${str(KIND_OF_LIST[list])}), ` +
            `'name': dyn(has(c.name) ? c.name : ''), 'c': dyn(c)})`,
        )
        .join(' + '),
    uses: ['spec'],
  },
  {
    // the valid suppressions, as the judge's readSuppressions keeps them: a known rule, a reason, and a container the
    // pod has (when one is named)
    name: 'suppressed',
    expression: (ctx: CheckContext) =>
      `${suppressionKeys()}.filter(k, ${and(namesKnownRule(ctx, 'k'), hasReason('k'), not(namesUnknownContainer('k')))})`,
    uses: ['annPod', 'annJob', 'annObj', 'containers'],
  },
  {
    name: 'grace',
    expression: () =>
      `has(${v('spec')}.terminationGracePeriodSeconds) ? ${v('spec')}.terminationGracePeriodSeconds : ${DEFAULTS.kubernetesTerminationGracePeriodSeconds}`,
    uses: ['spec'],
  },
  { name: 'budgets', expression: () => effective(str(HOOK_BUDGETS_ANNOTATION)), uses: ['annPod', 'annJob', 'annObj'] },
] as AdmissionVariable[]);

/** `true` when a finding of `ruleId` for the whole object is suppressed (an object-level suppression with a reason). */
export function suppressedForObject(ruleId: string): string {
  return `${str(PREFIX + ruleId)} in ${v('suppressed')}`;
}

/** `true` when a finding of `ruleId` for the container named `nameExpr` is suppressed (object or container level). */
export function suppressedFor(ruleId: string, nameExpr: string): string {
  return or(suppressedForObject(ruleId), `(${str(`${PREFIX}${ruleId}.`)} + (${nameExpr})) in ${v('suppressed')}`);
}

/** Match conditions every policy carries: the object has its pod spec, and on UPDATE the pod spec changed. */
export function matchConditions(): { name: string; expression: string }[] {
  return [
    { name: 'has-pod-spec', expression: hasPodSpec(dynRoot('object')) },
    {
      name: 'pod-spec-changed',
      expression: or("request.operation != 'UPDATE'", 'oldObject == null', `${podSpecOf(dynRoot('object'))} != ${podSpecOf(dynRoot('oldObject'))}`),
    },
  ];
}

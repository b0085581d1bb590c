/**
 * What `admissionPolicies()` writes: valid `admissionregistration.k8s.io/v1` objects, named and annotated from the
 * catalogue, bound with the right actions, honouring the options, and with CEL inside Kubernetes' limits.
 */
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { parse } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import { stringify } from 'yaml';
import { ADMISSION_POLICY_MIN_VERSION, admissionPolicies, exportedChecks, POLICY_NAME_SUFFIX } from '../../src/admission/policies';
import type { AdmissionPoliciesOptions, ValidatingAdmissionPolicyJson } from '../../src/admission/policies';
import { POD_KINDS, RULES_ANNOTATION } from '../../src/admission/subject';
import { KubernetesVersion } from '../../src/k8s/version';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';
import { subjectsOf } from '../../src/rules/normalize';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/suppressions';
import { Severity } from '../../src/rules/types';
import { ENVELOPE, estimatePolicy } from './cost';
import { admit, admitWithPolicies } from './harness';
import { compare, show } from './parity';
import { validateModel } from './models';

const VERSIONS = [KubernetesVersion.V1_30, KubernetesVersion.V1_31, KubernetesVersion.V1_32, KubernetesVersion.V1_33, KubernetesVersion.V1_34];
const OPTION_SETS: AdmissionPoliciesOptions[] = VERSIONS.flatMap((kubernetesVersion) => [
  { kubernetesVersion },
  { kubernetesVersion, requireDigest: true, audit: true },
]);
const ruleOf = (p: { metadata: { annotations: Readonly<Record<string, string>> } }): string => p.metadata.annotations[RULES_ANNOTATION];
const catalogue = (id: string) => RULE_CATALOGUE.find((r) => r.id === id)!;

/** Every CEL expression of a policy, with where it is. */
function expressions(p: ValidatingAdmissionPolicyJson): Array<{ where: string; expression: string }> {
  return [
    ...p.spec.matchConditions.map((m) => ({ where: `matchConditions.${m.name}`, expression: m.expression })),
    ...p.spec.variables.map((x) => ({ where: `variables.${x.name}`, expression: x.expression })),
    ...p.spec.validations.flatMap((x, i) => [
      { where: `validations[${i}].expression`, expression: x.expression },
      { where: `validations[${i}].messageExpression`, expression: x.messageExpression },
    ]),
  ];
}

function children(e: Expr): Expr[] {
  switch (e.exprKind.case) {
    case 'selectExpr':
      return [e.exprKind.value.operand!];
    case 'callExpr':
      return [...(e.exprKind.value.target ? [e.exprKind.value.target] : []), ...e.exprKind.value.args];
    case 'listExpr':
      return e.exprKind.value.elements;
    case 'structExpr':
      return e.exprKind.value.entries.flatMap((x) => [...(x.keyKind.case === 'mapKey' ? [x.keyKind.value] : []), x.value!]);
    case 'comprehensionExpr': {
      const c = e.exprKind.value;
      return [c.iterRange!, c.accuInit!, c.loopCondition!, c.loopStep!, c.result!];
    }
    default:
      return [];
  }
}

function walk(e: Expr, visit: (e: Expr, depth: number) => void, depth = 1): void {
  visit(e, depth);
  for (const c of children(e)) walk(c, visit, depth + 1);
}

const constantCase = (e: Expr): string | undefined => (e.exprKind.case === 'constExpr' ? e.exprKind.value.constantKind.case : undefined);

describe('admissionPolicies', () => {
  test('writes one policy and one binding per exported rule, named <rule-id>.safe-pods.cdk8s.io and annotated with the rule id', () => {
    const set = admissionPolicies();
    const ids = exportedChecks().map((c) => c.rule.id);
    expect(set.policies.map(ruleOf)).toEqual(ids);
    expect(set.bindings.map(ruleOf)).toEqual(ids);
    for (const [i, p] of set.policies.entries()) {
      expect(p.metadata.name).toBe(`${ruleOf(p)}${POLICY_NAME_SUFFIX}`);
      expect(set.bindings[i].spec.policyName).toBe(p.metadata.name);
      expect(set.bindings[i].metadata.name).toBe(p.metadata.name);
    }
    expect(set.objects).toEqual(set.policies.flatMap((p, i) => [p, set.bindings[i]]));
  });

  test('policies are in catalogue order, and every rule id is one of the catalogue', () => {
    const order = RULE_CATALOGUE.map((r) => r.id);
    const ids = admissionPolicies({ requireDigest: true }).policies.map(ruleOf);
    expect(ids.every((id) => order.includes(id))).toBe(true);
    expect([...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(ids);
  });

  test('every message starts with [<rule-id>], the static one with the rule title', () => {
    for (const p of admissionPolicies({ requireDigest: true }).policies) {
      const rule = catalogue(ruleOf(p));
      for (const v of p.spec.validations) {
        expect(v.message).toBe(`[${rule.id}] ${rule.title}`);
        expect(v.messageExpression.startsWith(`'[${rule.id}] ' + `)).toBe(true);
        expect(v.message).not.toMatch(/[\r\n]/);
      }
    }
  });

  test('messages name the container (evaluated on a pod that breaks many rules)', () => {
    const bad = admit(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bad' },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx',
              env: [
                { name: 'A', value: '1' },
                { name: 'A', value: '2' },
              ],
              lifecycle: { postStart: { tcpSocket: { port: 80 } } },
            },
          ],
        },
      },
      KubernetesVersion.V1_30,
    );
    if (!bad.admitted) throw new Error(bad.reason);
    const result = admitWithPolicies(admissionPolicies(), bad.object);
    expect(result.denied.map((o) => o.policy).sort()).toEqual(
      ['image-not-pinned', 'env-duplicate-name', 'lifecycle-tcp-socket'].map((id) => `${id}${POLICY_NAME_SUFFIX}`).sort(),
    );
    for (const o of result.denied) expect(o.message).toMatch(/^\[[a-z-]+\] container "web": /);
  });

  test('binds errors with Deny and warnings with Warn; audit mode binds everything with [Audit, Warn]', () => {
    const set = admissionPolicies();
    for (const [i, p] of set.policies.entries()) {
      const expected = catalogue(ruleOf(p)).severity === Severity.ERROR ? ['Deny'] : ['Warn'];
      expect([ruleOf(p), set.bindings[i].spec.validationActions]).toEqual([ruleOf(p), expected]);
    }
    for (const b of admissionPolicies({ audit: true }).bindings) expect(b.spec.validationActions).toEqual(['Audit', 'Warn']);
  });

  test('an httpGet host is a warning before Kubernetes 1.34 and an error from 1.34, as the judge says', () => {
    const actions = (v: KubernetesVersion): readonly string[] => {
      const set = admissionPolicies({ kubernetesVersion: v });
      return set.bindings.find((b) => ruleOf(b) === 'lifecycle-host-set')!.spec.validationActions;
    };
    expect(actions(KubernetesVersion.V1_33)).toEqual(['Warn']);
    expect(actions(KubernetesVersion.V1_34)).toEqual(['Deny']);
  });

  test('severity overrides change the binding, and win over the severity a rule gives itself, as in the judge (severityOf)', () => {
    const set = admissionPolicies({
      kubernetesVersion: KubernetesVersion.V1_34,
      severities: { 'image-floating-tag': Severity.ERROR, 'image-not-pinned': Severity.WARNING, 'lifecycle-host-set': Severity.WARNING },
    });
    const actions = (id: string): readonly string[] => set.bindings.find((b) => ruleOf(b) === id)!.spec.validationActions;
    expect(actions('image-floating-tag')).toEqual(['Deny']);
    expect(actions('image-not-pinned')).toEqual(['Warn']);
    expect(actions('lifecycle-host-set')).toEqual(['Warn']);
  });

  test('rule settings in the shape of the config file and SafePodsSettings; severities and disabledRules win over them', () => {
    const ruleSettings = new Map<string, Severity | 'off'>([
      ['image-floating-tag', Severity.ERROR],
      ['env-duplicate-name', 'off'],
      ['lifecycle-host-set', Severity.ERROR],
      ['suppression-unknown-container', 'off'],
    ]);
    const set = admissionPolicies({ ruleSettings, severities: { 'lifecycle-host-set': Severity.WARNING }, disabledRules: ['image-floating-tag'] });
    const actions = (id: string): readonly string[] | undefined => set.bindings.find((b) => ruleOf(b) === id)?.spec.validationActions;
    expect(actions('image-floating-tag')).toBeUndefined();
    expect(actions('env-duplicate-name')).toBeUndefined();
    expect(actions('suppression-unknown-container')).toBeUndefined();
    expect(actions('lifecycle-host-set')).toEqual(['Warn']);
    expect(actions('image-not-pinned')).toEqual(['Deny']);
    expect(() => admissionPolicies({ ruleSettings: new Map([['nope', 'off']]) })).toThrow(/unknown rule id "nope"/);
  });

  test('switched-off rules get no policy, and a suppression naming one is still a suppression of a known rule, as in the judge', () => {
    const set = admissionPolicies({ disabledRules: ['image-not-pinned'] });
    expect(set.policies.map(ruleOf)).not.toContain('image-not-pinned');
    const pod = admit(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', annotations: { [`${SUPPRESS_ANNOTATION_PREFIX}image-not-pinned`]: 'dev cluster' } },
        spec: { containers: [{ name: 'main', image: 'nginx', imagePullPolicy: 'Always' }] },
      },
      ADMISSION_POLICY_MIN_VERSION,
    );
    if (!pod.admitted) throw new Error(pod.reason);
    expect(admitWithPolicies(set, pod.object).warned).toEqual([]);
    expect(admitWithPolicies(set, pod.object).denied).toEqual([]);
    expect(admitWithPolicies(admissionPolicies(), pod.object).warned).toEqual([]);
  });

  describe('suppressions, as the judge reads them', () => {
    const pod = (annotations: Record<string, string>, containers: Array<Record<string, unknown>>): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', annotations },
      spec: { containers },
    });
    const verdicts = (object: Record<string, unknown>, rules: readonly string[]): Record<string, { judge: string; policy: string }> => {
      const c = compare(object, { kubernetesVersion: ADMISSION_POLICY_MIN_VERSION, requireDigest: false });
      if (!c.admitted) throw new Error(c.reason);
      return Object.fromEntries(
        rules.map((rule) => {
          const r = c.rules.find((x) => x.rule === rule)!;
          return [rule, { judge: show(r.judge), policy: show(r.cel) }];
        }),
      );
    };

    test('a reason of blanks or zero-width characters is no reason: the finding stands, and the suppression is reported', () => {
      const object = pod({ [`${SUPPRESS_ANNOTATION_PREFIX}image-not-pinned.main`]: '\u200b \u2060' }, [
        { name: 'main', image: 'nginx', imagePullPolicy: 'Always' },
      ]);
      expect(verdicts(object, ['image-not-pinned', 'suppression-without-reason'])).toEqual({
        'image-not-pinned': { judge: 'error', policy: 'error' },
        'suppression-without-reason': { judge: 'error', policy: 'error' },
      });
    });

    test('a suppression naming a container the pod does not have suppresses nothing and is reported', () => {
      const object = pod({ [`${SUPPRESS_ANNOTATION_PREFIX}image-not-pinned.mian`]: 'local kind cluster' }, [
        { name: 'main', image: 'nginx', imagePullPolicy: 'Always' },
      ]);
      expect(verdicts(object, ['image-not-pinned', 'suppression-unknown-container'])).toEqual({
        'image-not-pinned': { judge: 'error', policy: 'error' },
        'suppression-unknown-container': { judge: 'warning', policy: 'warning' },
      });
    });

    test('a container without a name is reported for the object: only an object-level suppression accepts it', () => {
      const perContainer = pod({ [`${SUPPRESS_ANNOTATION_PREFIX}container-name-invalid.`]: 'generated' }, [{ name: '', image: 'nginx:1.27.3' }]);
      expect(verdicts(perContainer, ['container-name-invalid'])).toEqual({ 'container-name-invalid': { judge: 'error', policy: 'error' } });
      const whole = pod({ [`${SUPPRESS_ANNOTATION_PREFIX}container-name-invalid`]: 'generated' }, [{ name: '', image: 'nginx:1.27.3' }]);
      expect(verdicts(whole, ['container-name-invalid'])).toEqual({ 'container-name-invalid': { judge: '-', policy: '-' } });
    });

    test('an accepted floating tag pulled IfNotPresent is refused by image-mutable-tag-pull-policy, pulled Always it passes', () => {
      const annotations = { [`${SUPPRESS_ANNOTATION_PREFIX}image-floating-tag.main`]: 'tracks upstream alpine on purpose' };
      const ifNotPresent = pod(annotations, [{ name: 'main', image: 'redis:alpine', imagePullPolicy: 'IfNotPresent' }]);
      expect(verdicts(ifNotPresent, ['image-floating-tag', 'image-mutable-tag-pull-policy'])).toEqual({
        'image-floating-tag': { judge: '-', policy: '-' },
        'image-mutable-tag-pull-policy': { judge: 'error', policy: 'error' },
      });
      const always = pod(annotations, [{ name: 'main', image: 'redis:alpine', imagePullPolicy: 'Always' }]);
      expect(verdicts(always, ['image-mutable-tag-pull-policy'])).toEqual({ 'image-mutable-tag-pull-policy': { judge: '-', policy: '-' } });
    });
  });

  test('strict mode exports image-digest-required', () => {
    expect(admissionPolicies().policies.map(ruleOf)).not.toContain('image-digest-required');
    expect(admissionPolicies({ requireDigest: true }).policies.map(ruleOf)).toContain('image-digest-required');
  });

  test.each([
    ['a target before 1.30 (1.29)', { kubernetesVersion: KubernetesVersion.V1_29 }, /needs Kubernetes 1\.30 or newer, but the target is 1\.29/],
    ['the library default target (1.27)', { kubernetesVersion: KubernetesVersion.V1_27 }, /needs Kubernetes 1\.30 or newer/],
    ['an unknown rule switched off', { disabledRules: ['image-mutable-tag'] }, /unknown rule id "image-mutable-tag"/],
    ['a severity for an unknown rule', { severities: { nope: Severity.ERROR } }, /unknown rule id "nope"/],
    ['an unknown severity', { severities: { 'image-not-pinned': 'fatal' as Severity } }, /severity "fatal" of rule "image-not-pinned"/],
  ] as const)('refuses %s', (_what, options, message) => {
    expect(() => admissionPolicies(options)).toThrow(message);
  });

  test('defaults to Kubernetes 1.30, the first version with ValidatingAdmissionPolicy v1', () => {
    expect(admissionPolicies().policies[0].metadata.annotations['safe-pods.cdk8s.io/kubernetes-version']).toBe('1.30');
  });

  test('matches Pods and every built-in kind with a pod template, on CREATE and UPDATE, at the versions the judge reads', () => {
    const [p] = admissionPolicies().policies;
    const matched = p.spec.matchConstraints.resourceRules.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${r.apiVersions[0]}/${res}`));
    expect(matched.sort()).toEqual(POD_KINDS.map((k) => `${k.group}/${k.version}/${k.resource}`).sort());
    for (const r of p.spec.matchConstraints.resourceRules) expect(r.operations).toEqual(['CREATE', 'UPDATE']);
    expect(POD_KINDS.map((k) => k.kind).sort()).toEqual(
      ['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'PodTemplate', 'ReplicaSet', 'ReplicationController', 'StatefulSet'].sort(),
    );
  });

  test.each(POD_KINDS.map((k) => [k.kind, k] as const))('reaches the pod spec of a %s where the judge does', (_kind, k) => {
    const obj: Record<string, unknown> = {
      apiVersion: k.group === '' ? k.version : `${k.group}/${k.version}`,
      kind: k.kind,
      metadata: { name: 'x' },
    };
    let cur = obj;
    for (const key of k.spec.slice(0, -1)) cur = (cur[key] ??= {}) as Record<string, unknown>;
    cur[k.spec[k.spec.length - 1]] = { containers: [{ name: 'main', image: 'nginx' }] };
    const [subject] = subjectsOf(obj);
    expect(subject.podSpecPath).toBe(k.spec.join('.'));
  });

  test('validates every object it writes with kubernetes-models (admissionregistration.k8s.io/v1)', () => {
    for (const options of OPTION_SETS) for (const o of admissionPolicies(options).objects) expect(() => validateModel(o)).not.toThrow();
  });

  test('the static messages and annotations hold no line breaks, and the output is plain ASCII YAML', () => {
    const yaml = admissionPolicies({ requireDigest: true })
      .objects.map((o) => stringify(o, { lineWidth: 0 }))
      .join('---\n');
    expect([...yaml].every((c) => c === '\n' || (c >= ' ' && c <= '~'))).toBe(true);
  });

  test('a policy in YAML, for review (one object per snapshot)', () => {
    const p = admissionPolicies().policies.find((x) => ruleOf(x) === 'image-not-pinned')!;
    expect(stringify(p, { lineWidth: 0 })).toMatchSnapshot();
  });
});

describe('the CEL of every policy', () => {
  // every distinct expression of every option set, parsed once
  const unique = new Map<string, { where: string; policy: string; expression: string; ast: Expr }>();
  for (const o of OPTION_SETS) {
    for (const p of admissionPolicies(o).policies) {
      for (const x of expressions(p))
        if (!unique.has(x.expression)) unique.set(x.expression, { ...x, policy: p.metadata.name, ast: parse(x.expression).expr });
    }
  }
  const all = [...unique.values()];

  test('parses with @bufbuild/cel, which has no optional-field syntax (.?, orValue): every expression is in the shared subset', () => {
    // parsing happened above; an expression that did not parse would have failed the suite
    expect(all.length).toBeGreaterThan(50);
  });

  test('calls only functions of Kubernetes 1.30 CEL (standard, strings extension v2) that @bufbuild/cel also has', () => {
    const allowed = new Set([
      ...['_&&_', '_||_', '!_', '_?_:_', '_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '_+_', '_-_', '_*_', '_[_]', '@in', '@not_strictly_false'],
      ...['size', 'has', 'dyn', 'type', 'string', 'int', 'double', 'matches', 'contains', 'startsWith', 'endsWith'],
      ...['charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'join'],
    ]);
    const used = new Set<string>();
    for (const x of all) walk(x.ast, (e) => e.exprKind.case === 'callExpr' && used.add(e.exprKind.value.function));
    expect([...used].filter((f) => !allowed.has(f))).toEqual([]);
  });

  test('keeps list and map literals homogeneous (Kubernetes checks aggregate literal types)', () => {
    for (const x of all) {
      walk(x.ast, (e) => {
        if (e.exprKind.case === 'listExpr' && e.exprKind.value.elements.length > 1) {
          const kinds = new Set(e.exprKind.value.elements.map((el) => constantCase(el) ?? 'expr'));
          expect([x.where, [...kinds]]).toEqual([x.where, [...kinds].filter((k) => k !== 'expr').slice(0, 1)]);
        }
        if (e.exprKind.case === 'structExpr') {
          for (const entry of e.exprKind.value.entries) {
            const v = entry.value!;
            expect([x.where, v.exprKind.case === 'callExpr' ? v.exprKind.value.function : v.exprKind.case]).toEqual([x.where, 'dyn']);
          }
        }
      });
    }
  });

  test('every regular expression is a valid RE2 pattern', () => {
    const patterns = new Set<string>();
    for (const x of all) {
      walk(x.ast, (e) => {
        if (e.exprKind.case !== 'callExpr' || e.exprKind.value.function !== 'matches') return;
        const arg = e.exprKind.value.args[0];
        expect(arg.exprKind.case).toBe('constExpr');
        if (arg.exprKind.case === 'constExpr' && arg.exprKind.value.constantKind.case === 'stringValue')
          patterns.add(arg.exprKind.value.constantKind.value);
      });
    }
    expect(patterns.size).toBeGreaterThan(10);
    for (const p of patterns) expect(() => RE2JS.compile(p)).not.toThrow();
  });

  test('stays far below the parser limits of cel-go: 100,000 code points and a recursion depth of 250', () => {
    for (const x of all) {
      expect([x.policy, x.where, x.expression.length <= 16 * 1024]).toEqual([x.policy, x.where, true]);
      let depth = 0;
      walk(x.ast, (_e, d) => (depth = Math.max(depth, d)));
      expect([x.policy, x.where, depth <= 64]).toEqual([x.policy, x.where, true]);
    }
  });

  test(`stays within the runtime cost limits for a pod of ${ENVELOPE.containersPerList * 3} containers with ${ENVELOPE.envPerContainer} env entries and both hooks each`, () => {
    const PER_CALL_LIMIT = 1_000_000;
    const POLICY_BUDGET = 10_000_000;
    for (const options of OPTION_SETS) {
      for (const p of admissionPolicies(options).policies) {
        const costs = estimatePolicy(p);
        for (const c of costs) expect([p.metadata.name, c.what, c.cost <= PER_CALL_LIMIT]).toEqual([p.metadata.name, c.what, true]);
        expect([p.metadata.name, costs.reduce((n, c) => n + c.cost, 0) <= POLICY_BUDGET]).toEqual([p.metadata.name, true]);
      }
    }
  });
});

/**
 * The listed differences (`ADMISSION_DIFFERENCES`), each tested as what it says: a rule listed as not exported has no
 * policy though the judge reports it; a rule listed as differing has a witness object on which the policy departs from
 * the judge exactly as the admission model predicts.
 */
import { ADMISSION_DIFFERENCES, AdmissionDifferenceKind } from '../../src/admission/differences';
import { admissionPolicies, exportedChecks } from '../../src/admission/policies';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { KubernetesVersion } from '../../src/k8s/version';
import { RULE_CATALOGUE } from '../../src/rules/catalogue';
import type { JsonObject } from '../../src/k8s/shapes';
import { checkObjects } from '../../src/rules/check';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../src/rules/suppressions';
import { compare, same, show } from './parity';

const VERSIONS = [KubernetesVersion.V1_30, KubernetesVersion.V1_31, KubernetesVersion.V1_32, KubernetesVersion.V1_33, KubernetesVersion.V1_34];

function pod(
  container: Record<string, unknown>,
  extra: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'witness', namespace: 'shop', ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      enableServiceLinks: false,
      containers: [{ name: 'main', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent', ...container }],
      ...extra.spec,
    },
  };
}

/** Objects on which each rule that differs at admission shows its difference. */
const WITNESSES: Record<string, Array<{ readonly what: string; readonly object: Record<string, unknown> }>> = {
  'image-mutable-tag-pull-policy': [
    {
      what: 'an accepted floating tag without a pull policy (the API server defaults it to IfNotPresent before admission)',
      object: pod(
        { image: 'nginx:stable', imagePullPolicy: undefined },
        { annotations: { [`${SUPPRESS_ANNOTATION_PREFIX}image-floating-tag.main`]: 'tracks upstream stable on purpose' } },
      ),
    },
    {
      what: 'an accepted "Latest" tag without a pull policy (only the exact tag latest defaults to Always)',
      object: pod(
        { image: 'nginx:Latest', imagePullPolicy: undefined },
        { annotations: { [`${SUPPRESS_ANNOTATION_PREFIX}image-not-pinned`]: 'local kind cluster' } },
      ),
    },
  ],
  'lifecycle-prestop-exceeds-grace': [
    {
      what: 'a preStop budget declared in the budgets annotation',
      object: pod(
        { lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
        { annotations: { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"preStop":25}}' } },
      ),
    },
  ],
  'lifecycle-exec-unbounded': [
    {
      what: 'an exec postStart of a container the budgets annotation names (for preStop only)',
      object: pod(
        { lifecycle: { postStart: { exec: { command: ['/bin/warm-up'] } } } },
        { annotations: { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"preStop":5}}' } },
      ),
    },
  ],
  'lifecycle-poststart-unbounded': [
    {
      what: 'an httpGet postStart of a container the budgets annotation names (for preStop only)',
      object: pod(
        { lifecycle: { postStart: { httpGet: { path: '/warm', port: 8080 } } } },
        { annotations: { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"preStop":5}}' } },
      ),
    },
  ],
};

/** Objects (with the objects they need) on which the judge reports each rule that is not exported. */
function services(n: number): JsonObject[] {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: 'shop' },
    spec: {
      clusterIP: `10.0.${Math.floor(i / 250)}.${i % 250}`,
      ports: Array.from({ length: 8 }, (_, p) => ({ name: `port-${p}`, port: 8000 + p })),
    },
  }));
}
const linked = (container: Record<string, unknown>): Record<string, unknown> => {
  const p = pod(container);
  delete (p.spec as Record<string, unknown>).enableServiceLinks;
  return p;
};
const NOT_EXPORTED_WITNESSES: Record<string, { readonly objects: JsonObject[]; readonly version?: KubernetesVersion }> = {
  'env-service-link-prefix': {
    objects: [
      ...services(0),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kafka', namespace: 'shop' }, spec: { clusterIP: '10.0.0.9', ports: [{ port: 9092 }] } },
      // the image evidence the rule needs: cp-kafka exits on the KAFKA_PORT a Service "kafka" injects
      linked({ image: 'confluentinc/cp-kafka:7.6.0', env: [{ name: 'KAFKA_ADVERTISED_LISTENERS', value: 'PLAINTEXT://broker:9092' }] }),
    ] as JsonObject[],
  },
  'env-service-link-collision': {
    objects: [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: '10.0.0.8', ports: [{ port: 5432 }] } },
      linked({ env: [{ name: 'DB_SERVICE_HOST', value: 'db' }] }),
    ] as JsonObject[],
  },
  'env-service-links-too-large': { objects: [...services(120), linked({})] as JsonObject[] },
  'env-unresolved-reference': { objects: [pod({ env: [{ name: 'URL', value: 'http://$(NOPE)/' }] })] as JsonObject[] },
  'runtime-class-unknown': { objects: [pod({}, { spec: { runtimeClassName: 'missing' } })] as JsonObject[] },
  'runtime-class-node-selector-conflict': {
    objects: [
      {
        apiVersion: 'node.k8s.io/v1',
        kind: 'RuntimeClass',
        metadata: { name: 'kata' },
        handler: 'kata',
        scheduling: { nodeSelector: { sandbox: 'kata' } },
      },
      pod({}, { spec: { runtimeClassName: 'kata', nodeSelector: { sandbox: 'gvisor' } } }),
    ] as JsonObject[],
  },
  'runtime-class-overhead-mismatch': { objects: [pod({}, { spec: { overhead: { cpu: '100m' } } })] as JsonObject[] },
  'lifecycle-sleep-unsupported': {
    objects: [pod({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] as JsonObject[],
    version: KubernetesVersion.V1_29,
  },
  'lifecycle-budget-annotation-invalid': { objects: [pod({}, { annotations: { [HOOK_BUDGETS_ANNOTATION]: 'not json' } })] as JsonObject[] },
  'field-type-invalid': { objects: [pod({ env: [{ name: 'DEBUG', value: true }] })] as JsonObject[] },
  'image-pull-policy-missing': { objects: [pod({ imagePullPolicy: undefined })] as JsonObject[] },
};

describe('the listed differences between admission and the judge', () => {
  test('every rule of the catalogue is exported for some settings, or listed as not exported, never both', () => {
    const exported = new Set(
      VERSIONS.flatMap((v) =>
        [true, false].flatMap((requireDigest) => exportedChecks({ kubernetesVersion: v, requireDigest }).map((c) => c.rule.id)),
      ),
    );
    const notExported = new Set(ADMISSION_DIFFERENCES.filter((d) => d.kind === AdmissionDifferenceKind.NOT_EXPORTED).map((d) => d.rule));
    for (const rule of RULE_CATALOGUE) expect([rule.id, exported.has(rule.id) !== notExported.has(rule.id)]).toEqual([rule.id, true]);
  });

  test('rules listed as differing are exported, and each has a witness', () => {
    const exported = new Set(exportedChecks({ kubernetesVersion: KubernetesVersion.V1_30 }).map((c) => c.rule.id));
    const listed = ADMISSION_DIFFERENCES.filter((d) => d.kind !== AdmissionDifferenceKind.NOT_EXPORTED).map((d) => d.rule);
    expect(listed.filter((r) => !exported.has(r))).toEqual([]);
    expect(Object.keys(WITNESSES).sort()).toEqual([...listed].sort());
    expect(Object.keys(NOT_EXPORTED_WITNESSES).sort()).toEqual(
      ADMISSION_DIFFERENCES.filter((d) => d.kind === AdmissionDifferenceKind.NOT_EXPORTED)
        .map((d) => d.rule)
        .sort(),
    );
  });

  test('every entry gives a reason, and no rule is listed twice', () => {
    for (const d of ADMISSION_DIFFERENCES) expect(d.reason.length).toBeGreaterThan(40);
    expect(new Set(ADMISSION_DIFFERENCES.map((d) => d.rule)).size).toBe(ADMISSION_DIFFERENCES.length);
  });

  describe.each(Object.entries(WITNESSES))('%s differs at admission', (rule, witnesses) => {
    test.each(witnesses.map((w) => [w.what, w.object] as const))('on %s: the policy departs from the judge as the model says', (_what, object) => {
      for (const version of VERSIONS) {
        const c = compare(object, { kubernetesVersion: version, requireDigest: false });
        expect(c.admitted).toBe(true);
        if (!c.admitted) return;
        const r = c.rules.find((x) => x.rule === rule)!;
        expect({ version: String(version), judge: show(r.judge), policy: show(r.cel), errored: r.errored }).toEqual({
          version: String(version),
          judge: show(r.judge),
          policy: show(r.model),
          errored: false,
        });
        expect(same(r.judge, r.cel)).toBe(false);
      }
    });
  });

  describe.each(Object.entries(NOT_EXPORTED_WITNESSES))('%s is not exported', (rule, witness) => {
    test('the judge reports it, and no policy enforces it', () => {
      const version = witness.version ?? KubernetesVersion.V1_30;
      expect(checkObjects(witness.objects, { kubernetesVersion: version }).findings.map((f) => f.rule)).toContain(rule);
      for (const v of VERSIONS) {
        const set = admissionPolicies({ kubernetesVersion: v, requireDigest: true });
        expect(set.policies.map((p) => p.metadata.annotations['safe-pods.cdk8s.io/rules'])).not.toContain(rule);
      }
    });
  });
});

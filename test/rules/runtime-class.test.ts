import { KubernetesVersion } from '../../src/k8s/version';
import { RULES } from '../../src/rules/catalogue';
import { judgeSubject } from '../../src/rules/judge';
import { RUNTIME_CLASS_RULES } from '../../src/rules/runtime-class';
import type { PodSpecJson, RuntimeClassFacts } from '../../src/k8s/shapes';
import type { JudgeContext, PodSubject } from '../../src/rules/types';
import { podSubject } from '../support/subjects';

const kata: RuntimeClassFacts = {
  name: 'kata-qemu',
  handler: 'kata-qemu',
  podFixedOverhead: { cpu: '250m', memory: '160Mi' },
  nodeSelector: { 'katacontainers.io/kata-runtime': 'true' },
};
const gvisor: RuntimeClassFacts = { name: 'gvisor', handler: 'runsc' };
const provided: RuntimeClassFacts = { name: 'cluster-provided' }; // RuntimeClass.fromName: spec unknown

function ctx(classes?: RuntimeClassFacts[]): JudgeContext {
  return { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false, runtimeClasses: classes && new Map(classes.map((c) => [c.name, c])) };
}

function pod(podSpec: PodSpecJson, annotations: Record<string, string> = {}): PodSubject {
  return podSubject(podSpec, { annotations });
}

function deployment(podSpec: PodSpecJson): PodSubject {
  return podSubject(podSpec, { kind: 'Deployment' });
}

const judge = (s: PodSubject, c: JudgeContext) => judgeSubject(s, c, RUNTIME_CLASS_RULES);

describe('RuntimeClass rules', () => {
  test('are in the catalogue with unique kebab-case ids', () => {
    for (const r of RUNTIME_CLASS_RULES) {
      expect(RULES).toContain(r);
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  test('a handler written where the class name belongs fails with the hint, the field and the known classes', () => {
    const [f] = judge(pod({ runtimeClassName: 'runsc' }), ctx([gvisor, kata]));
    expect(f).toMatchObject({ rule: 'runtime-class-unknown', severity: 'error', field: 'spec.runtimeClassName' });
    expect(f.message).toBe(
      'runtimeClassName "runsc" names no known RuntimeClass (known: "gvisor", "kata-qemu"), so the API server rejects the Pod ' +
        '(\'pod rejected: RuntimeClass "runsc" not found\'); "runsc" is the handler of RuntimeClass "gvisor"; name the class, "gvisor", not its handler',
    );
  });

  test('unknown classes are only reported when the known classes are given', () => {
    expect(judge(pod({ runtimeClassName: 'whatever' }), ctx())).toEqual([]);
    expect(judge(pod({ runtimeClassName: 'cluster-provided' }), ctx([provided]))).toEqual([]);
  });

  test('an empty runtimeClassName is invalid even without known classes', () => {
    const [f] = judge(pod({ runtimeClassName: '' }), ctx());
    expect(f.rule).toBe('runtime-class-name-invalid');
    expect(f.message).toMatch(/^runtimeClassName "" is not a RuntimeClass name/);
    expect(f.message).not.toMatch(/\.$/);
  });

  test('a node selector that contradicts the class is reported per key, for templates too', () => {
    const [f] = judge(deployment({ runtimeClassName: 'kata-qemu', nodeSelector: { 'katacontainers.io/kata-runtime': 'false' } }), ctx([kata]));
    expect(f.rule).toBe('runtime-class-node-selector-conflict');
    expect(f.field).toBe('spec.template.spec.nodeSelector["katacontainers.io/kata-runtime"]');
    expect(f.message).toContain('the API server accepts the Deployment but rejects every Pod it creates');
    expect(f.message).toContain(
      "'conflict: runtimeClass.scheduling.nodeSelector[katacontainers.io/kata-runtime] = true; pod.spec.nodeSelector[katacontainers.io/kata-runtime] = false'",
    );
  });

  test('the same node selector value is no conflict', () => {
    expect(judge(pod({ runtimeClassName: 'kata-qemu', nodeSelector: { 'katacontainers.io/kata-runtime': 'true', zone: 'a' } }), ctx([kata]))).toEqual(
      [],
    );
  });

  test.each<[string, PodSpecJson, RuntimeClassFacts[] | undefined, RegExp]>([
    [
      'an overhead that differs from the class overhead',
      { runtimeClassName: 'kata-qemu', overhead: { cpu: '100m' } },
      [kata],
      /differs from RuntimeClass "kata-qemu"/,
    ],
    [
      'an overhead on a class without overhead',
      { runtimeClassName: 'gvisor', overhead: { cpu: '100m' } },
      [gvisor],
      /RuntimeClass "gvisor" defines no overhead/,
    ],
    ['an overhead without any class', { overhead: { cpu: '100m' } }, undefined, /set without a runtimeClassName/],
  ])('%s is rejected by admission and reported', (_name, spec, classes, message) => {
    const findings = judge(pod(spec), ctx(classes));
    expect(findings.map((f) => f.rule)).toEqual(['runtime-class-overhead-mismatch']);
    expect(findings[0].field).toBe('spec.overhead');
    expect(findings[0].message).toMatch(message);
  });

  test('an overhead equal to the class overhead in another notation passes', () => {
    expect(judge(pod({ runtimeClassName: 'kata-qemu', overhead: { cpu: '0.25', memory: '160Mi' } }), ctx([kata]))).toEqual([]);
  });

  test('a finding can be suppressed with a reason', () => {
    const s = pod({ runtimeClassName: 'runsc' }, { 'safe-pods.cdk8s.io/suppress.runtime-class-unknown': 'class installed by the node image' });
    expect(judge(s, ctx([gvisor]))).toEqual([]);
  });
});

import { KubernetesVersion } from '../../src/k8s/version';
import { judgeSubject } from '../../src/rules/judge';
import { POD_RULES } from '../../src/rules/pod';
import type { ContainerJson } from '../../src/k8s/shapes';
import type { JudgeContext, PodSubject } from '../../src/rules/types';
import { podSubject } from '../support/subjects';

const ctx: JudgeContext = { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false };

function pod(containers: ContainerJson[], initContainers: ContainerJson[] = []): PodSubject {
  return podSubject({ containers, initContainers }, { name: 'p' });
}

describe('pod rules', () => {
  test('a pod without containers is an error', () => {
    const findings = judgeSubject(pod([]), ctx, POD_RULES);
    expect(findings.map((f) => [f.rule, f.field])).toEqual([['pod-no-containers', 'spec.containers']]);
  });

  test('a container name used by a regular and an init container is an error naming both places', () => {
    const findings = judgeSubject(pod([{ name: 'main' }], [{ name: 'main' }]), ctx, POD_RULES);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'container-name-invalid', field: 'spec.containers[0].name' });
    expect(findings[0].message).toContain('spec.initContainers[0] and spec.containers[0]');
  });

  test.each([['Main'], ['a_b'], ['x'.repeat(64)]])('container name %p is not a DNS label', (name) => {
    const findings = judgeSubject(pod([{ name }]), ctx, POD_RULES);
    expect(findings.map((f) => f.rule)).toEqual(['container-name-invalid']);
  });

  test('distinct valid names pass', () => {
    expect(judgeSubject(pod([{ name: 'web' }, { name: 'sidecar-1' }], [{ name: 'init' }]), ctx, POD_RULES)).toEqual([]);
  });
});

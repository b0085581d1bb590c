import { Testing } from 'cdk8s';
import { runtimeClassesChart } from '../../examples/runtime-classes';
import { KubernetesVersion } from '../../src/k8s/version';
import { RuntimeClass } from '../../src/constructs/runtime-class';
import { admitPod } from '../../src/runtime-class/admission';
import { effectiveRequestStrings } from '../../src/runtime-class/requests';
import { judgeSubject } from '../../src/rules/judge';
import { RUNTIME_CLASS_RULES } from '../../src/rules/runtime-class';
import { podSubject } from '../support/subjects';

describe('examples/runtime-classes', () => {
  test('defines a gVisor and a Kata class, and pods that name them pass the RuntimeClass rules and admission', () => {
    const app = Testing.app();
    const chart = runtimeClassesChart(app);
    const objects = Testing.synth(chart);
    const classes = objects.filter((o) => o.kind === 'RuntimeClass');
    expect(classes.map((c) => [c.metadata.name, c.handler])).toEqual([
      ['gvisor', 'runsc'],
      ['kata-qemu', 'kata-qemu'],
    ]);

    const known = RuntimeClass.knownIn(app);
    const ctx = { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false, runtimeClasses: known };
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(pods.map((p) => p.spec.runtimeClassName)).toEqual(['gvisor', 'kata-qemu']);
    for (const p of pods) {
      const subject = podSubject(p.spec, { name: p.metadata.name });
      expect(judgeSubject(subject, ctx, RUNTIME_CLASS_RULES)).toEqual([]);
      expect(admitPod(p.spec, known.get(p.spec.runtimeClassName)).admitted).toBe(true);
    }
    // the Kata pod is accounted with the class overhead on top of cdk8s-plus's default requests (1000m, 512Mi)
    expect(pods[1].spec.containers[0].resources.requests).toEqual({ cpu: '1000m', memory: '512Mi' });
    expect(effectiveRequestStrings(pods[1].spec, known.get('kata-qemu'))).toEqual({ cpu: '1250m', memory: '672Mi' });
  });
});

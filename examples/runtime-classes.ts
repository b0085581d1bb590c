import type { App } from 'cdk8s';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { RuntimeClass } from '../src/constructs/runtime-class';

/**
 * Two sandboxed runtimes and a pod on each: gVisor (`runsc`) and Kata Containers with QEMU (kata-deploy's
 * `kata-qemu`, with its per-pod overhead and node selector). The pods name the class (`gvisor`), not the handler
 * (`runsc`). They are plain cdk8s-plus Pods patched with `runtimeClassName` until SafePod takes a `runtimeClass`.
 */
export function runtimeClassesChart(app: App): Chart {
  const chart = new Chart(app, 'runtime-classes');
  const gvisor = RuntimeClass.gvisor(chart, 'gvisor');
  const kata = RuntimeClass.kataQemu(chart, 'kata-qemu');

  for (const [id, rc] of [['untrusted-build', gvisor], ['isolated-job', kata]] as const) {
    const pod = new kplus.Pod(chart, id, {
      containers: [{ image: 'busybox:1.36.1', command: ['sh', '-c', 'echo sandboxed && sleep 3600'], securityContext: { user: 1000 } }],
    });
    ApiObject.of(pod).addJsonPatch(JsonPatch.add('/spec/runtimeClassName', rc.name));
  }
  return chart;
}

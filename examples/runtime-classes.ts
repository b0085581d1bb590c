import type { App } from 'cdk8s';
import { Chart } from 'cdk8s';
import { RuntimeClass, SafePod } from '../src';

/**
 * Two sandboxed runtimes and a pod on each: gVisor (`runsc`) and Kata Containers with QEMU (kata-deploy's
 * `kata-qemu`, with its per-pod overhead and node selector). The RuntimeClasses are cluster-scoped: no namespace
 * in the YAML even though the chart has one. The pods name the class (`gvisor`), not the handler (`runsc`).
 */
export function runtimeClassesChart(app: App): Chart {
  const chart = new Chart(app, 'runtime-classes', { namespace: 'builds' });
  const gvisor = RuntimeClass.gvisor(chart, 'gvisor');
  const kata = RuntimeClass.kataQemu(chart, 'kata-qemu');

  new SafePod(chart, 'untrusted-build', {
    runtimeClass: gvisor,
    containers: [{ name: 'build', image: 'busybox:1.36.1', command: ['sh', '-c', 'echo sandboxed && sleep 3600'], securityContext: { user: 1000 } }],
  });
  new SafePod(chart, 'isolated-job', {
    // a name is resolved against the classes of the app at synth time: "kata-qem" would fail with the known classes
    runtimeClass: kata.name,
    containers: [{ name: 'job', image: 'busybox:1.36.1', command: ['sh', '-c', 'echo isolated && sleep 3600'], securityContext: { user: 1000 } }],
  });
  return chart;
}

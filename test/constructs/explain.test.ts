import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LifecycleHook } from '../../src/hooks/hook';
import { SafePod } from '../../src/constructs/safe-pod';
import { SafePodsSettings, WarningMode } from '../../src/constructs/settings';
import { EnvSourceKind } from '../../src/explain/types';
import { KubernetesVersion } from '../../src/k8s/version';

describe('SafePod.explain()', () => {
  test("explains the pod with the app's Services and ConfigMaps as facts, and its shutdown timeline", () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_30, warnings: WarningMode.IGNORE });
    const chart = new Chart(app, 'prod', { namespace: 'shop' });
    new kplus.Service(chart, 'redis', { metadata: { name: 'redis' }, ports: [{ port: 6379 }] });
    const config = new kplus.ConfigMap(chart, 'cfg', { metadata: { name: 'app-config' }, data: { MODE: 'fast' } });
    const pod = new SafePod(chart, 'web', {
      enableServiceLinks: true,
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/app:1.0.0',
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: { GREETING: kplus.EnvValue.fromValue('mode $(MODE) on $(REDIS_SERVICE_HOST)') },
          hooks: { preStop: LifecycleHook.sleep(5) },
        },
      ],
    });
    const explained = pod.explain();
    const [app1] = explained.containers;
    const env = Object.fromEntries(app1.env.map((v) => [v.name, v]));
    expect(env.MODE.value).toBe('fast');
    expect(env.GREETING.value).toBe('mode fast on <cluster-ip>');
    expect(env.REDIS_SERVICE_HOST.sourceKind).toBe(EnvSourceKind.SERVICE);
    expect(env.MODE.source).toBe('envFrom[0] configMapRef app-config');
    expect(env.KUBERNETES_SERVICE_HOST.sourceKind).toBe(EnvSourceKind.KUBERNETES_SERVICE);
    expect(explained.timeline.gracePeriodSeconds).toBe(30);
    expect(app1.findings).toEqual([]);
  });
});

import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SafePodsGuard } from '../../src/constructs/guard';
import { SafePod } from '../../src/constructs/safe-pod';
import { SafePodsSettings, WarningMode } from '../../src/constructs/settings';
import { KubernetesVersion } from '../../src/k8s/version';
import { validateWithKubernetesModels } from '../support/kubernetes-models';

function quietChart(): Chart {
  const app = Testing.app();
  SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
  return new Chart(app, 'prod');
}

describe('SafePodsGuard', () => {
  test('fails the synth for a plain cdk8s-plus Deployment with an unpinned image, naming the object path', () => {
    const chart = quietChart();
    new kplus.Deployment(chart, 'api', { containers: [{ image: 'nginx:latest' }] });
    SafePodsGuard.apply(chart);
    expect(() => chart.toJson()).toThrow(
      /\[prod\] prod\/api\/Resource: error image-not-pinned: Deployment "[^"]*": container "main": image "nginx:latest"/,
    );
  });

  test('judges raw ApiObjects too', () => {
    const chart = quietChart();
    new ApiObject(chart, 'raw', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'registry:5000/app' }] } } } },
      },
    });
    SafePodsGuard.apply(chart);
    expect(() => chart.toJson()).toThrow(/prod\/raw: error image-not-pinned: CronJob "nightly": container "job": image "registry:5000\/app"/);
  });

  test('without the guard, cdk8s-plus workloads are not judged', () => {
    const chart = quietChart();
    new kplus.Deployment(chart, 'api', { containers: [{ image: 'nginx:latest' }] });
    expect(() => chart.toJson()).not.toThrow();
  });

  test('fill: writes the pull policy Kubernetes would default to and enableServiceLinks: false, visibly', () => {
    const chart = quietChart();
    new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'ghcr.io/acme/api:2.4.1' }] } },
      },
    });
    SafePodsGuard.apply(chart, { fill: true });
    const [deployment] = Testing.synth(chart);
    expect(deployment.spec.template.spec.containers[0].imagePullPolicy).toEqual('IfNotPresent');
    expect(deployment.spec.template.spec.enableServiceLinks).toBe(false);
    validateWithKubernetesModels(deployment);
  });

  test.each([
    // an IPv6 registry: refused by the 1.27–1.28 grammar (the API server then defaults IfNotPresent), read as an
    // untagged image from 1.29 (Always); the image-refs vector "[::1]:5000/app"
    [KubernetesVersion.V1_27, 'IfNotPresent'],
    [KubernetesVersion.V1_30, 'Always'],
  ])('fill derives the pull policy with the target version of the app (%s: %s)', (kubernetesVersion, policy) => {
    const app = Testing.app();
    SafePodsSettings.set(app, { kubernetesVersion, warnings: WarningMode.IGNORE, rules: { 'image-not-pinned': 'off', 'image-invalid': 'off' } });
    const chart = new Chart(app, 'prod');
    new ApiObject(chart, 'raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: '[::1]:5000/app' }] },
    });
    SafePodsGuard.apply(chart, { fill: true });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].imagePullPolicy).toBe(policy);
  });

  test('without fill, a missing pull policy is an error', () => {
    const chart = quietChart();
    new ApiObject(chart, 'raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'ghcr.io/acme/api:2.4.1' }] },
    });
    SafePodsGuard.apply(chart);
    expect(() => chart.toJson()).toThrow(/prod\/raw: error image-pull-policy-missing: Pod "p": container "c"/);
  });

  test('SafePods are judged once, by themselves', () => {
    const chart = quietChart();
    new SafePod(chart, 'web', { containers: [{ image: 'nginx' }] });
    SafePodsGuard.apply(chart);
    let message = '';
    try {
      chart.toJson();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/error image-not-pinned: /g)).toHaveLength(1);
    expect(message).toContain('[prod/web]');
  });

  test('findings() lists every workload finding with its path', () => {
    const chart = quietChart();
    new kplus.Deployment(chart, 'api', { containers: [{ image: 'nginx:stable' }] });
    const findings = SafePodsGuard.findings(chart);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'image-floating-tag', path: 'prod/api/Resource', severity: 'warning' }));
  });
});

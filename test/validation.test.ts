/**
 * Independent validation: objects synthesized by a large app using every construct and option are valid against the
 * official Kubernetes OpenAPI schema (kubernetes-models). The suite-wide setup (test/support/validate-every-synth.ts)
 * validates every chart synthesized by any test; this file checks that the setup bites, and builds the large app.
 */
import { ApiObject, Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SleepAction } from 'kubernetes-models/v1';
import {
  addCommonDownwardEnv,
  DownwardApi,
  ExecTimeout,
  HttpScheme,
  KubernetesVersion,
  LifecycleHook,
  RuntimeClass,
  SafePod,
  SafePodsGuard,
  SafePodsSettings,
  WarningMode,
} from '../src';
import { TaintEffect, TolerationOperator } from '../src';
import { validateWithKubernetesModels } from './support/kubernetes-models';

describe('kubernetes-models validation', () => {
  test('the suite-wide check fails a synth whose output the schema refuses', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: 'nginx' } });
    expect(() => Testing.synth(chart)).toThrow(/fails kubernetes-models validation/);
  });

  test('a kind without a model is an error, not a silent skip', () => {
    expect(() => validateWithKubernetesModels({ apiVersion: 'example.com/v1', kind: 'Widget' })).toThrow(/no kubernetes-models class/);
  });

  test('the schema knows every field SafePod writes past the 1.27 L1 (the native sleep hook), so it is really checked', () => {
    // kubernetes-models 4.5.1 is generated from a newer API than 1.27; a field it did not know would pass unchecked
    expect(() => new SleepAction({ seconds: 'five' as unknown as number }).validate()).toThrow();
    expect(() => new SleepAction({ seconds: 5 }).validate()).not.toThrow();
  });

  test('a large app using every construct and option synthesizes only valid objects', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_30, warnings: WarningMode.IGNORE });
    const chart = new Chart(app, 'big', { namespace: 'big' });
    const cluster = new Chart(app, 'cluster');
    const gvisor = RuntimeClass.gvisor(cluster, 'gvisor');
    const kata = RuntimeClass.kataQemu(cluster, 'kata');
    new RuntimeClass(cluster, 'custom', {
      metadata: { name: 'kata.fc' },
      handler: 'kata-fc',
      overhead: { podFixed: { cpu: '250m', memory: '130Mi' } },
      scheduling: {
        nodeSelector: { 'katacontainers.io/kata-runtime': 'true' },
        tolerations: [{ key: 'kata', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE }],
      },
    });
    const secret = kplus.Secret.fromSecretName(chart, 'pull', 'registry');
    new kplus.Service(chart, 'svc', { metadata: { name: 'cache' }, ports: [{ port: 6379, name: 'redis' }] });
    for (let i = 0; i < 50; i++) {
      const pod = new SafePod(chart, `pod-${i}`, {
        runtimeClass: [gvisor, kata, 'kata.fc', RuntimeClass.fromName('runc-host'), undefined][i % 5],
        enableServiceLinks: i % 2 === 0,
        imagePullSecrets: [secret, 'other'],
        terminationGracePeriod: i % 3 === 0 ? Duration.seconds(60) : undefined,
        initContainers: [{ name: 'init', image: `busybox:1.36.${i % 3}`, command: ['sh', '-c', 'true'] }],
        containers: [
          {
            name: 'app',
            image: i % 2 ? `ghcr.io/acme/app:${i}.0.0` : `ghcr.io/acme/app@sha256:${i.toString(16).padStart(64, 'a')}`,
            portNumber: 8080,
            envVariables: {
              POD_UID: DownwardApi.podUid(),
              TEAM: DownwardApi.label('team'),
              MEM: DownwardApi.memoryLimit({ divisor: '1Mi' }),
              HOST_IPS: DownwardApi.hostIPs(),
              URL: kplus.EnvValue.fromValue('http://$(POD_UID)'),
            },
            hooks: {
              postStart: LifecycleHook.exec(['/warm'], {
                budgetSeconds: 5,
                timeout: i % 2 ? ExecTimeout.TIMEOUT : ExecTimeout.command(['/busybox/timeout']),
              }),
              preStop: [
                LifecycleHook.sleep(5),
                LifecycleHook.execSleep(3),
                LifecycleHook.httpGet('/drain', { port: 8080, scheme: HttpScheme.HTTPS, headers: { 'X-Drain': '1' }, budgetSeconds: 10 }),
              ][i % 3],
            },
            shutdownReserveSeconds: 15,
          },
          { name: 'mutable', image: 'localhost:5001/dev:latest', allowMutableTag: 'kind' },
        ],
      });
      addCommonDownwardEnv(pod.containers[0]);
    }
    new kplus.Deployment(chart, 'deploy', { containers: [{ image: 'nginx:1.27.3' }] });
    new kplus.StatefulSet(chart, 'sts', {
      containers: [{ image: 'postgres:16.4' }],
      service: new kplus.Service(chart, 'sts-svc', { ports: [{ port: 5432 }] }),
    });
    new kplus.DaemonSet(chart, 'ds', { containers: [{ image: 'fluent/fluent-bit:3.1.9' }] });
    new kplus.Job(chart, 'job', { containers: [{ image: 'busybox:1.36.1' }] });
    new kplus.CronJob(chart, 'cron', { schedule: Cron.daily(), containers: [{ image: 'busybox:1.36.1' }] });
    SafePodsGuard.apply(app, { fill: true });

    const objects = [...chart.toJson(), ...cluster.toJson()];
    expect(objects.length).toBeGreaterThanOrEqual(60);
    for (const o of objects) expect(() => validateWithKubernetesModels(o)).not.toThrow();
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(pods.some((p) => p.spec.containers[0].lifecycle?.preStop?.sleep)).toBe(true);
    // cdk8s-plus writes imagePullPolicy Always on its own; the guard's fill adds what is missing: service links off
    expect(objects.find((o) => o.kind === 'Deployment').spec.template.spec.enableServiceLinks).toBe(false);
  });
});

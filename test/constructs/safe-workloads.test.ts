/**
 * The five safe workloads against SafePod: every check of test/constructs/safe-pod.test.ts that a workload can
 * express, table-driven over the kinds, plus what is particular to a pod template (annotations on the template
 * metadata, the guard skipping the workloads, the rule ids of the four entry points).
 */
import type { App } from 'cdk8s';
import { ApiObject, Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { SafePodsGuard } from '../../src/constructs/guard';
import { RuntimeClass } from '../../src/constructs/runtime-class';
import type { SafeContainerProps, SafePodSpecProps, ShutdownPlan } from '../../src/constructs/safe-pod';
import { SafePod } from '../../src/constructs/safe-pod';
import { SafeCronJob, SafeDaemonSet, SafeDeployment, SafeJob, SafeStatefulSet } from '../../src/constructs/safe-workloads';
import { SafePodsSettings, WarningMode } from '../../src/constructs/settings';
import { DEFAULTS } from '../../src/defaults';
import { LifecycleHook } from '../../src/hooks/hook';
import { KubernetesVersion } from '../../src/k8s/version';
import { checkObjects } from '../../src/rules/check';
import type { Finding } from '../../src/rules/types';

/** What the table needs of a safe construct. */
interface SafeConstruct extends Construct {
  findings(): Finding[];
  serviceLinkEnv(): Record<string, string>;
  shutdownPlan(): ShutdownPlan;
  addContainer(cont: SafeContainerProps): kplus.Container;
  addInitContainer(cont: SafeContainerProps): kplus.Container;
  readonly enableServiceLinks: boolean;
}

type Props = SafePodSpecProps & { readonly terminationGracePeriod?: Duration; readonly replicas?: number; readonly service?: kplus.Service };

interface Kind {
  /** The construct. */
  readonly construct: string;
  /** The Kubernetes kind it writes. */
  readonly kind: string;
  readonly build: (scope: Construct, id: string, props: Props) => SafeConstruct;
  /** The pod template of the synthesized object. */
  readonly template: (obj: any) => { metadata: any; spec: any };
}

const template = (obj: any): { metadata: any; spec: any } => obj.spec.template;

const KINDS: readonly Kind[] = [
  { construct: 'SafeDeployment', kind: 'Deployment', build: (s, id, p) => new SafeDeployment(s, id, p), template },
  { construct: 'SafeStatefulSet', kind: 'StatefulSet', build: (s, id, p) => new SafeStatefulSet(s, id, p), template },
  { construct: 'SafeDaemonSet', kind: 'DaemonSet', build: (s, id, p) => new SafeDaemonSet(s, id, p), template },
  { construct: 'SafeJob', kind: 'Job', build: (s, id, p) => new SafeJob(s, id, p), template },
  {
    construct: 'SafeCronJob',
    kind: 'CronJob',
    build: (s, id, p) => new SafeCronJob(s, id, { ...p, schedule: Cron.daily() }),
    template: (obj) => obj.spec.jobTemplate.spec.template,
  },
];

/** A container with a port (a StatefulSet builds its headless Service from the ports). */
function container(image: string, extra: Partial<SafeContainerProps> = {}): SafeContainerProps {
  return { name: 'main', image, portNumber: 8080, ...extra };
}

/** The object of `kind` in a synthesized chart (a StatefulSet comes with its headless Service). */
function objectOf(k: Kind, objects: any[]): any {
  const found = objects.find((o) => o.kind === k.kind);
  if (!found) throw new Error(`no ${k.kind} in ${objects.map((o) => o.kind).join(', ')}`);
  return found;
}

function synthError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

function quietApp(version: KubernetesVersion = KubernetesVersion.V1_27, namespace?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  SafePodsSettings.set(app, { kubernetesVersion: version, warnings: WarningMode.IGNORE });
  return { app, chart: new Chart(app, 'prod', namespace !== undefined ? { namespace } : {}) };
}

describe.each(KINDS)('$construct', (k) => {
  test('refuses nginx:latest at synth with its construct path, the rule id and its kind', () => {
    const { chart } = quietApp();
    k.build(chart, 'web', { containers: [container('nginx:latest')] });
    const message = synthError(() => chart.toJson());
    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).toContain(
      `[prod/web] error image-not-pinned: ${k.kind} "${ApiObject.of(chart.node.findChild('web')).name}": container "main": image "nginx:latest" uses the mutable tag "latest"; pin a version tag or a digest`,
    );
  });

  test('writes an explicit pull policy and enableServiceLinks: false in its pod template', () => {
    const chart = Testing.chart();
    const w = k.build(chart, 'web', { containers: [container('nginx:1.27.3')] });
    w.addContainer({ name: 'later', image: 'envoyproxy/envoy:v1.31.2' });
    w.addInitContainer({ image: 'busybox:1.36.1' });
    const pod = k.template(objectOf(k, Testing.synth(chart)));
    expect(pod.spec.containers.map((c: any) => c.imagePullPolicy)).toEqual([DEFAULTS.imagePullPolicy, DEFAULTS.imagePullPolicy]);
    expect(pod.spec.initContainers).toEqual([expect.objectContaining({ name: 'init-0', imagePullPolicy: DEFAULTS.imagePullPolicy })]);
    expect(pod.spec.enableServiceLinks).toBe(false);
    expect(w.enableServiceLinks).toBe(false);
  });

  test('bounds an exec hook with timeout and records its budget on the pod template', () => {
    const { chart } = quietApp();
    k.build(chart, 'web', { containers: [container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) } })] });
    const pod = k.template(objectOf(k, Testing.synth(chart)));
    expect(pod.spec.containers[0].lifecycle.preStop.exec.command).toEqual(['timeout', '-s', 'KILL', '15', '/drain']);
    expect(JSON.parse(pod.metadata.annotations['safe-pods.cdk8s.io/hook-budgets'])).toEqual({ main: { preStop: 15 } });
  });

  test('derives its grace period exactly like a SafePod of the same containers', () => {
    const containers = (): SafeContainerProps[] => [
      container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 40 }) }, shutdownReserveSeconds: 15 }),
      { name: 'proxy', image: 'envoyproxy/envoy:v1.31.2', hooks: { preStop: LifecycleHook.httpGet('/drain', { port: 9901, budgetSeconds: 20 }) } },
    ];
    const { chart } = quietApp();
    new SafePod(chart, 'pod', { containers: containers() });
    k.build(chart, 'web', { containers: containers() });
    const objects = Testing.synth(chart);
    const pod = objects.find((o) => o.kind === 'Pod');
    const tpl = k.template(objectOf(k, objects));
    expect(tpl.spec.terminationGracePeriodSeconds).toEqual(55);
    expect(tpl.spec.terminationGracePeriodSeconds).toEqual(pod.spec.terminationGracePeriodSeconds);
    expect(tpl.spec.containers.map((c: any) => c.lifecycle)).toEqual(pod.spec.containers.map((c: any) => c.lifecycle));
    expect(tpl.metadata.annotations).toEqual(pod.metadata.annotations);
  });

  test('an author grace period too short for the hook fails with the numbers, as for SafePod', () => {
    const { chart } = quietApp();
    k.build(chart, 'web', {
      terminationGracePeriod: Duration.seconds(20),
      containers: [container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) } })],
    });
    expect(() => chart.toJson()).toThrow(new RegExp(`\\[prod/web\\] error lifecycle-prestop-exceeds-grace: ${k.kind} .*15.*10.*20`));
  });

  test('a native sleep hook reaches the pod template on 1.30, past the 1.27 L1 schema filter', () => {
    const { chart } = quietApp(KubernetesVersion.V1_30);
    k.build(chart, 'web', { containers: [container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.sleep(5) } })] });
    const pod = k.template(objectOf(k, Testing.synth(chart)));
    expect(pod.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.spec.terminationGracePeriodSeconds).toEqual(DEFAULTS.kubernetesTerminationGracePeriodSeconds);
  });

  test('a native sleep hook is refused on 1.27', () => {
    const { chart } = quietApp(KubernetesVersion.V1_27);
    k.build(chart, 'web', { containers: [container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.sleep(5) } })] });
    expect(() => chart.toJson()).toThrow(new RegExp(`\\[prod/web\\] error lifecycle-sleep-unsupported: ${k.kind} "[^"]*": container "main"`));
  });

  test('allowMutableTag writes the suppressions on the pod template metadata, and every judge honours them', () => {
    const { chart } = quietApp();
    const w = k.build(chart, 'dev', {
      containers: [container('localhost:5001/app:dev', { allowMutableTag: 'kind cluster, rebuilt on every run' })],
    });
    const obj = objectOf(k, Testing.synth(chart));
    const pod = k.template(obj);
    expect(pod.spec.containers[0].imagePullPolicy).toEqual('Always');
    expect(pod.metadata.annotations).toMatchObject({
      'safe-pods.cdk8s.io/suppress.image-not-pinned.main': 'kind cluster, rebuilt on every run',
      'safe-pods.cdk8s.io/suppress.image-floating-tag.main': 'kind cluster, rebuilt on every run',
    });
    expect(obj.metadata.annotations).toBeUndefined(); // on the pods, not on the workload object
    expect(w.findings().filter((f) => f.rule.startsWith('image-'))).toEqual([]);
    // the CLI's judge reads the synthesized YAML the same way
    expect(checkObjects([obj], { kubernetesVersion: KubernetesVersion.V1_27 }).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a second container without allowMutableTag is still refused', () => {
    const { chart } = quietApp();
    k.build(chart, 'dev', {
      containers: [container('app:latest', { allowMutableTag: 'local dev' }), { name: 'other', image: 'other:latest' }],
    });
    expect(() => chart.toJson()).toThrow(new RegExp(`error image-not-pinned: ${k.kind} "[^"]*": container "other": image "other:latest"`));
  });

  describe('runtimeClass', () => {
    function setup(): { chart: Chart; app: App } {
      const { app, chart } = quietApp(KubernetesVersion.V1_27, 'shop');
      new RuntimeClass(new Chart(app, 'cluster'), 'gvisor', { metadata: { name: 'gvisor' }, handler: 'runsc' });
      return { app, chart };
    }

    test('resolves a class of the app by name into the pod template', () => {
      const { app, chart } = setup();
      k.build(chart, 'web', { runtimeClass: 'gvisor', containers: [container('nginx:1.27.3')] });
      const objects = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
      expect(k.template(objectOf(k, objects)).spec.runtimeClassName).toEqual('gvisor');
    });

    test('a misspelled class fails with the list of known classes', () => {
      const { chart } = setup();
      k.build(chart, 'web', { runtimeClass: 'gvisr', containers: [container('nginx:1.27.3')] });
      expect(() => chart.toJson()).toThrow(new RegExp(`\\[prod/web\\] error runtime-class-unknown: ${k.kind} .*"gvisr".*"gvisor"`));
    });

    test('RuntimeClass.fromName declares a class the cluster provides', () => {
      const { chart } = setup();
      k.build(chart, 'web', { runtimeClass: RuntimeClass.fromName('kata-fc'), containers: [container('nginx:1.27.3')] });
      expect(k.template(objectOf(k, Testing.synth(chart))).spec.runtimeClassName).toEqual('kata-fc');
    });
  });

  test('imagePullSecrets by Secret and by name', () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 's', 'registry-a');
    k.build(chart, 'web', { containers: [container('nginx:1.27.3')], imagePullSecrets: [secret, 'registry-b'] });
    expect(k.template(objectOf(k, Testing.synth(chart))).spec.imagePullSecrets).toEqual([{ name: 'registry-a' }, { name: 'registry-b' }]);
  });

  test('without containers it fails with its path and the rule, not a cdk8s-plus stack trace', () => {
    const chart = Testing.chart();
    // (cdk8s-plus builds a StatefulSet's headless Service from the container ports in its constructor: give one)
    const service = k.kind === 'StatefulSet' ? { service: new kplus.Service(chart, 'svc', { ports: [{ port: 80 }] }) } : {};
    k.build(chart, 'empty', { containers: [], ...service });
    expect(() => Testing.synth(chart)).toThrow(
      new RegExp(`\\[test/empty\\] error pod-no-containers: ${k.kind} "[^"]*": .*a pod needs at least one container`),
    );
  });

  test('the cdk8s-plus lifecycle prop is refused with the replacement, with its path', () => {
    const chart = Testing.chart();
    k.build(chart, 'web', { containers: [container('nginx:1.27.3', { lifecycle: { preStop: kplus.Handler.fromTcpSocket() } })] });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/web\] error: container "main": lifecycle takes cdk8s-plus Handlers.*use hooks:/);
  });

  describe('service links', () => {
    function withKafka(links: boolean, image = 'confluentinc/cp-kafka:7.6.1'): { chart: Chart; w: SafeConstruct } {
      const { app, chart } = quietApp(KubernetesVersion.V1_27, 'shop');
      // the Service lives in another chart of the same namespace: the judge sees every Service of the app
      new kplus.Service(new Chart(app, 'infra', { namespace: 'shop' }), 'kafka', {
        metadata: { name: 'kafka' },
        ports: [{ name: 'broker', port: 9092 }],
      });
      const w = k.build(chart, 'broker', { enableServiceLinks: links, containers: [container(image, { name: 'kafka' })] });
      return { chart, w };
    }

    test('with links on, a Service whose variable the image refuses fails synth naming both objects', () => {
      const { chart } = withKafka(true);
      expect(() => chart.toJson()).toThrow(
        new RegExp(
          `\\[prod/broker\\] error env-service-link-prefix: ${k.kind} "[^"]*": container "kafka": Service "shop/kafka" \\(Service infra/kafka/Resource\\) injects "KAFKA_PORT=tcp://<cluster-ip>:9092"`,
        ),
      );
    });

    test('serviceLinkEnv() lists what the kubelet injects: the Services of the namespace with links on, default/kubernetes always', () => {
      const on = withKafka(true).w.serviceLinkEnv();
      expect(on).toMatchObject({ KAFKA_SERVICE_HOST: '<cluster-ip>', KAFKA_PORT: 'tcp://<cluster-ip>:9092', KAFKA_SERVICE_PORT_BROKER: '9092' });
      expect(on.KUBERNETES_SERVICE_HOST).toBeDefined();
      const off = withKafka(false, 'ghcr.io/acme/consumer:1.0.0').w.serviceLinkEnv();
      expect(Object.keys(off).filter((n) => n.startsWith('KAFKA_'))).toEqual([]);
      expect(off.KUBERNETES_SERVICE_HOST).toBeDefined();
    });
  });

  test('the chart guard skips it: one finding, with the construct path, not a second one from the guard', () => {
    const { chart } = quietApp();
    SafePodsGuard.apply(chart, { fill: true });
    k.build(chart, 'web', { containers: [container('nginx:latest')] });
    const message = synthError(() => chart.toJson());
    expect(message.match(/image-not-pinned/g)).toHaveLength(1);
    expect(message).toContain('[prod/web] error image-not-pinned: ');
    expect(SafePodsGuard.findings(chart)).toEqual([]);
  });

  test('the four entry points report the same rule ids for the same planted mistakes', () => {
    const PLANTED = ['env-duplicate-name', 'image-not-pinned', 'lifecycle-tcp-socket', 'runtime-class-unknown'];
    const { chart } = quietApp();
    new ApiObject(chart, 'rc', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' });
    const w = k.build(chart, 'bad', { runtimeClass: 'gvisr', containers: [container('nginx:latest')] });
    // the mistakes the safe API cannot express are written after rendering, as a later patch by another tool would
    const l1 = ApiObject.of(w);
    const render = l1.toJson.bind(l1);
    l1.toJson = () => {
      const json = render();
      const c = k.template(json).spec.containers[0];
      c.env = [
        { name: 'MODE', value: 'a' },
        { name: 'MODE', value: 'b' },
      ];
      c.lifecycle = { preStop: { tcpSocket: { port: 8080 } } };
      return json;
    };
    const rules = (text: string): string[] => [...new Set([...text.matchAll(/\berror ([a-z]+(?:-[a-z0-9]+)+): /g)].map((m) => m[1]))].sort();
    expect(rules(synthError(() => chart.toJson()))).toEqual(PLANTED);
    expect(
      [
        ...new Set(
          w
            .findings()
            .filter((f) => f.severity === 'error')
            .map((f) => f.rule),
        ),
      ].sort(),
    ).toEqual(PLANTED);
    const rc = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' };
    const cli = checkObjects([rc, l1.toJson()]).findings.filter((f) => f.severity === 'error');
    expect([...new Set(cli.map((f) => f.rule))].sort()).toEqual(PLANTED);
  });

  test('shutdownPlan(): the preStop budget plus the reserve, cut at the grace period, per container and for the pod', () => {
    const { chart } = quietApp();
    const w = k.build(chart, 'web', {
      replicas: 3,
      containers: [
        container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) }, shutdownReserveSeconds: 20 }),
        { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' },
      ],
    });
    const plan = w.shutdownPlan();
    expect(plan.gracePeriodSeconds).toEqual(35);
    expect(plan.containers).toEqual([
      {
        container: 'main',
        preStopBudgetSeconds: 15,
        shutdownReserveSeconds: 20,
        sigtermAtSeconds: 15,
        sigkillAtSeconds: 35,
        stopSeconds: 35,
        cut: false,
      },
      {
        container: 'sidecar',
        preStopBudgetSeconds: 0,
        shutdownReserveSeconds: DEFAULTS.shutdownReserveSeconds,
        sigtermAtSeconds: 0,
        sigkillAtSeconds: 35,
        stopSeconds: DEFAULTS.shutdownReserveSeconds,
        cut: false,
      },
    ]);
    expect(plan.podStopSeconds).toEqual(35);
    expect(plan.slowestContainer).toEqual('main');
    if (k.kind === 'StatefulSet') {
      expect(plan.rollout).toMatchObject({ strategy: 'RollingUpdate', sequentialTerminations: 3, terminationWaitSeconds: 105 });
    } else if (k.kind === 'Deployment') {
      expect(plan.rollout).toMatchObject({ strategy: 'RollingUpdate', sequentialTerminations: 0, terminationWaitSeconds: 0 });
    } else {
      expect(plan.rollout).toBeUndefined();
    }
    // the same pod as a SafePod stops the same way, without a rollout
    const pod = new SafePod(chart, 'pod', {
      containers: [
        container('nginx:1.27.3', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) }, shutdownReserveSeconds: 20 }),
        { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' },
      ],
    }).shutdownPlan();
    const { rollout: _rollout, ...podPart } = plan;
    expect(pod).toEqual(podPart);
  });

  test('findings() and the YAML follow containers added after a synth', () => {
    const { app, chart } = quietApp();
    const w = k.build(chart, 'web', { containers: [container('nginx:1.27.3')] });
    app.synthYaml();
    w.addContainer({ name: 'bad', image: 'nginx:latest' });
    expect(w.findings().map((f) => f.rule)).toContain('image-not-pinned');
    expect(w.shutdownPlan().containers.map((c) => c.container)).toEqual(['main', 'bad']);
    expect(() => app.synthYaml()).toThrow(new RegExp(`error image-not-pinned: ${k.kind} "[^"]*": container "bad"`));
  });
});

describe('SafeStatefulSet rollout', () => {
  const hooked = (): SafeContainerProps[] => [
    container('ghcr.io/acme/db:5.1.0', { hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 20 }) } }),
  ];

  test('OrderedReady (the cdk8s-plus default) and Parallel: a rolling update waits replicas × the pod stop time', () => {
    for (const podManagementPolicy of [kplus.PodManagementPolicy.ORDERED_READY, kplus.PodManagementPolicy.PARALLEL]) {
      const { chart } = quietApp();
      const sts = new SafeStatefulSet(chart, 'db', { replicas: 5, podManagementPolicy, containers: hooked() });
      const plan = sts.shutdownPlan();
      expect(plan.podStopSeconds).toEqual(30);
      expect(plan.rollout).toMatchObject({ kind: 'StatefulSet', sequentialTerminations: 5, terminationWaitSeconds: 150 });
      expect(plan.rollout!.basis).toContain('stateful_set_control.go');
    }
  });

  test('a partition leaves the pods below it alone; OnDelete waits on nothing', () => {
    const { chart } = quietApp();
    const partitioned = new SafeStatefulSet(chart, 'a', {
      replicas: 5,
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: 3 }),
      containers: hooked(),
    });
    expect(partitioned.shutdownPlan().rollout).toMatchObject({ sequentialTerminations: 2, terminationWaitSeconds: 60 });
    const onDelete = new SafeStatefulSet(chart, 'b', { replicas: 5, strategy: kplus.StatefulSetUpdateStrategy.onDelete(), containers: hooked() });
    expect(onDelete.shutdownPlan().rollout).toMatchObject({ strategy: 'OnDelete', sequentialTerminations: 0, terminationWaitSeconds: 0 });
  });

  test('with an autoscaler (no replicas written) there is no rollout figure', () => {
    const { chart } = quietApp();
    const sts = new SafeStatefulSet(chart, 'db', { containers: hooked() });
    sts.markHasAutoscaler();
    expect(sts.shutdownPlan().rollout).toBeUndefined();
    expect(sts.shutdownPlan().podStopSeconds).toEqual(30);
  });
});

describe('SafeDeployment rollout', () => {
  test('Recreate waits once for the old pods, which stop in parallel', () => {
    const { chart } = quietApp();
    const d = new SafeDeployment(chart, 'api', {
      replicas: 4,
      strategy: kplus.DeploymentStrategy.recreate(),
      containers: [container('ghcr.io/acme/api:2.4.1', { shutdownReserveSeconds: 25 })],
    });
    expect(d.shutdownPlan().rollout).toMatchObject({ strategy: 'Recreate', sequentialTerminations: 1, terminationWaitSeconds: 25 });
  });

  test('exposeViaService: the Service is one of the app, and the workload keeps the whole cdk8s-plus API', () => {
    const { app, chart } = quietApp();
    const d = new SafeDeployment(chart, 'api', { replicas: 3, containers: [container('ghcr.io/acme/api:2.4.1')] });
    d.exposeViaService({ name: 'api' });
    d.scheduling.spread();
    const objects = parseAllDocuments(app.synthYaml()).map((o) => o.toJS());
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service']);
    expect(objects.find((o) => o.kind === 'Deployment').spec.replicas).toEqual(3);
  });
});

describe('SafePod, the pod-level building block', () => {
  test('has serviceLinkEnv() and shutdownPlan() too, computed the same way', () => {
    const { app, chart } = quietApp(KubernetesVersion.V1_27, 'shop');
    new kplus.Service(new Chart(app, 'infra', { namespace: 'shop' }), 'redis', { metadata: { name: 'redis' }, ports: [{ port: 6379 }] });
    const pod = new SafePod(chart, 'legacy', { enableServiceLinks: true, containers: [container('ghcr.io/acme/legacy:0.9.0')] });
    const deployment = new SafeDeployment(chart, 'legacy-d', { enableServiceLinks: true, containers: [container('ghcr.io/acme/legacy:0.9.0')] });
    expect(pod.serviceLinkEnv()).toMatchObject({ REDIS_SERVICE_HOST: '<cluster-ip>', REDIS_SERVICE_PORT: '6379' });
    expect(pod.serviceLinkEnv()).toEqual(deployment.serviceLinkEnv());
    expect(pod.shutdownPlan()).toEqual({
      gracePeriodSeconds: 30,
      containers: [expect.objectContaining({ container: 'main', stopSeconds: DEFAULTS.shutdownReserveSeconds })],
      podStopSeconds: DEFAULTS.shutdownReserveSeconds,
      slowestContainer: 'main',
    });
  });
});

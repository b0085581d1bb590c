import * as fs from 'fs';
import type { App } from 'cdk8s';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import * as kplus from 'cdk8s-plus-27';
import { RuntimeClass } from '../../src/constructs/runtime-class';
import { SafePod } from '../../src/constructs/safe-pod';
import { SafePodsSettings, WarningMode } from '../../src/constructs/settings';
import { DEFAULTS } from '../../src/defaults';
import { LifecycleHook } from '../../src/hooks/hook';
import { KubernetesVersion } from '../../src/k8s/version';
import { validateWithKubernetesModels } from '../support/kubernetes-models';

describe('SafePod', () => {
  test('writes an explicit imagePullPolicy and enableServiceLinks: false by default', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    // THEN
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].imagePullPolicy).toEqual(DEFAULTS.imagePullPolicy);
    expect(pod.spec.enableServiceLinks).toBe(DEFAULTS.enableServiceLinks);
    validateWithKubernetesModels(pod);
  });

  test('an explicit pull policy wins', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3', imagePullPolicy: kplus.ImagePullPolicy.NEVER }] });
    expect(Testing.synth(chart)[0].spec.containers[0].imagePullPolicy).toEqual('Never');
  });

  test('containers added later get an explicit pull policy too', () => {
    const chart = Testing.chart();
    const pod = new SafePod(chart, 'web');
    pod.addContainer({ image: 'nginx:1.27.3' });
    pod.addInitContainer({ image: 'busybox:1.36.1' });
    const [json] = Testing.synth(chart);
    expect(json.spec.containers[0].imagePullPolicy).toEqual('IfNotPresent');
    expect(json.spec.initContainers[0].imagePullPolicy).toEqual('IfNotPresent');
  });

  test('a pod without containers fails validation with its path instead of a stack trace', () => {
    const chart = Testing.chart();
    const empty = new SafePod(chart, 'empty');
    expect(empty.findings().map((f) => f.rule)).toEqual(['pod-no-containers']);
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/empty\] error pod-no-containers: Pod "[^"]*": spec.containers is empty \(Required value\); a pod needs at least one container/,
    );
  });
});

describe('SafePod image rules', () => {
  test('nginx, nginx:latest and registry:5000/app fail one synth together, each with path, container, value and fix', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'prod');
    new SafePod(chart, 'web', {
      containers: [
        { name: 'a', image: 'nginx' },
        { name: 'b', image: 'nginx:latest' },
        { name: 'c', image: 'registry:5000/app' },
      ],
    });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).toMatch(/\[prod\/web\] error image-not-pinned: Pod "[^"]*": container "a": image "nginx" has no tag/);
    expect(message).toMatch(
      /\[prod\/web\] error image-not-pinned: Pod "[^"]*": container "b": image "nginx:latest" uses the mutable tag "latest"; pin a version tag or a digest/,
    );
    expect(message).toMatch(/\[prod\/web\] error image-not-pinned: Pod "[^"]*": container "c": image "registry:5000\/app" has no tag/);
    // nothing is written when a synth fails
    expect(fs.readdirSync(app.outdir)).toEqual([]);
  });

  test.each(['nginx:1.27.3', `nginx@sha256:${'a'.repeat(64)}`])('%p synthesizes with an explicit pull policy', (image) => {
    const chart = Testing.chart();
    new SafePod(chart, 'web', { containers: [{ image }] });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0]).toMatchObject({ image, imagePullPolicy: 'IfNotPresent' });
    validateWithKubernetesModels(pod);
  });

  test('allowMutableTag accepts a mutable tag for one container, pulls Always and records the reason in the YAML', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'dev', {
      containers: [
        { name: 'app', image: 'localhost:5001/app:dev', allowMutableTag: 'kind cluster, rebuilt on every run' },
        { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' },
      ],
    });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].imagePullPolicy).toEqual('Always');
    expect(pod.spec.containers[1].imagePullPolicy).toEqual('IfNotPresent');
    expect(pod.metadata.annotations).toMatchObject({
      'safe-pods.cdk8s.io/suppress.image-not-pinned.app': 'kind cluster, rebuilt on every run',
    });
  });

  test('allowMutableTag covers only its own container', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'dev', {
      containers: [
        { name: 'app', image: 'app:latest', allowMutableTag: 'local dev' },
        { name: 'other', image: 'other:latest' },
      ],
    });
    expect(() => Testing.synth(chart)).toThrow(/error image-not-pinned: Pod "[^"]*": container "other": image "other:latest"/);
  });

  test('strict mode requires a digest', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { requireDigest: true });
    const chart = new Chart(app, 'prod');
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => chart.toJson()).toThrow(/error image-digest-required: /);
  });

  test('a floating tag is a warning: printed once per synth (grouped, with the path), not fatal, and an error with WarningMode.FAIL', async () => {
    const chart = Testing.chart();
    const pod = new SafePod(chart, 'web', { containers: [{ image: 'nginx:stable' }] });
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      expect(() => Testing.synth(chart)).not.toThrow();
      await new Promise((resolve) => process.nextTick(resolve));
    } finally {
      spy.mockRestore();
    }
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(
      /^cdk8s-safe-pods: 1 warning:\n {2}\[test\/web\] warning image-floating-tag: Pod "[^"]*": container "main": image "nginx:stable" .*\n$/,
    );
    expect(pod.findings().map((f) => [f.rule, f.severity])).toContainEqual(['image-floating-tag', 'warning']);

    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.FAIL });
    const strict = new Chart(app, 'prod');
    new SafePod(strict, 'web', { containers: [{ image: 'nginx:stable' }] });
    expect(() => strict.toJson()).toThrow(/warning image-floating-tag: /);
  });

  test('warnings are printed synchronously, before the synth fails on an error (not lost on exit)', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'warned', { containers: [{ image: 'nginx:stable' }] });
    new SafePod(chart, 'broken', { containers: [{ image: 'nginx:latest' }] });
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    let thrown = '';
    try {
      Testing.synth(chart);
    } catch (e) {
      // nothing awaited: what is printed by now was printed before cdk8s threw
      thrown = (e as Error).message;
    } finally {
      spy.mockRestore();
    }
    expect(thrown).toMatch(/error image-not-pinned: /);
    expect(printed.join('')).toMatch(/cdk8s-safe-pods: 1 warning:\n {2}\[test\/warned\] warning image-floating-tag: /);
  });

  test('imagePullSecrets from a cdk8s-plus Secret and a name', () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 's', 'registry-a');
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3' }], imagePullSecrets: [secret, 'registry-b'] });
    expect(Testing.synth(chart)[0].spec.imagePullSecrets).toEqual([{ name: 'registry-a' }, { name: 'registry-b' }]);
  });
});

describe('SafePod hooks', () => {
  function appFor(version: KubernetesVersion): { app: App; chart: Chart } {
    const app = Testing.app();
    SafePodsSettings.set(app, { kubernetesVersion: version, warnings: WarningMode.IGNORE });
    return { app, chart: new Chart(app, 'prod') };
  }

  test('a native sleep PreStop reaches the YAML on 1.30 (past the 1.27 L1 schema filter), with a derived grace period', () => {
    const { chart } = appFor(KubernetesVersion.V1_30);
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.sleep(5) } }] });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(5 + DEFAULTS.shutdownReserveSeconds);
    validateWithKubernetesModels(pod);
  });

  test('a native sleep hook is refused on 1.27 with a message that offers an exec sleep or a newer target', () => {
    const { chart } = appFor(KubernetesVersion.V1_27);
    new SafePod(chart, 'web', { containers: [{ image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.sleep(5) } }] });
    expect(() => chart.toJson()).toThrow(/\[prod\/web\] error lifecycle-sleep-unsupported: Pod "[^"]*": container "main": .*sleep.*1\.30/);
  });

  test('a PreStop whose budget exceeds the author grace period fails synth with the numbers', () => {
    const { chart } = appFor(KubernetesVersion.V1_27);
    new SafePod(chart, 'web', {
      terminationGracePeriod: Duration.seconds(20),
      containers: [{ image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) } }],
    });
    expect(() => chart.toJson()).toThrow(/\[prod\/web\] error lifecycle-prestop-exceeds-grace: .*15.*10.*20/);
  });

  test('exec hooks are wrapped in timeout and the budgets are recorded in the annotation', () => {
    const { chart } = appFor(KubernetesVersion.V1_27);
    new SafePod(chart, 'web', {
      containers: [{ image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.exec(['/drain'], { budgetSeconds: 15 }) } }],
    });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.containers[0].lifecycle.preStop.exec.command).toEqual(['timeout', '-s', 'KILL', '15', '/drain']);
    expect(pod.spec.terminationGracePeriodSeconds).toEqual(30);
    expect(JSON.parse(pod.metadata.annotations['safe-pods.cdk8s.io/hook-budgets'])).toEqual({ main: { preStop: 15 } });
    validateWithKubernetesModels(pod);
  });

  test('the cdk8s-plus lifecycle prop is refused with the replacement', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'web', {
      containers: [
        { image: 'nginx:1.27.3', lifecycle: { preStop: kplus.Handler.fromTcpSocket() } },
        { name: 'dev', image: 'app:latest', allowMutableTag: '\u200b' },
      ],
    });
    // construction mistakes are collected and reported together at synth, with the path, without a stack
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/web\] error: container "main": lifecycle takes cdk8s-plus Handlers.*use hooks: \{ preStop: LifecycleHook.*\n {2}\[test\/web\] error: container "dev": allowMutableTag "\\u200b" gives no reason/s,
    );
  });
});

describe('SafePod runtimeClass', () => {
  function setup(): { app: App; chart: Chart; gvisor: RuntimeClass } {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const cluster = new Chart(app, 'cluster');
    const gvisor = new RuntimeClass(cluster, 'gvisor', {
      metadata: { name: 'gvisor' },
      handler: 'runsc',
      scheduling: { nodeSelector: { 'sandbox.example.com/gvisor': 'true' } },
    });
    return { app, chart: new Chart(app, 'prod', { namespace: 'shop' }), gvisor };
  }

  test('a RuntimeClass construct is written as runtimeClassName, and the class has no namespace', () => {
    const { app, chart, gvisor } = setup();
    new SafePod(chart, 'web', { runtimeClass: gvisor, containers: [{ image: 'nginx:1.27.3' }] });
    const objects = parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
    const pod = objects.find((o) => o.kind === 'Pod');
    const rc = objects.find((o) => o.kind === 'RuntimeClass');
    expect(pod.spec.runtimeClassName).toEqual('gvisor');
    expect(rc.metadata.namespace).toBeUndefined();
    validateWithKubernetesModels(pod);
    validateWithKubernetesModels(rc);
  });

  test('a name of a class defined in the app is accepted', () => {
    const { chart } = setup();
    new SafePod(chart, 'web', { runtimeClass: 'gvisor', containers: [{ image: 'nginx:1.27.3' }] });
    expect(Testing.synth(chart)[0].spec.runtimeClassName).toEqual('gvisor');
  });

  test('a misspelled class fails synth with the list of known classes', () => {
    const { chart } = setup();
    new SafePod(chart, 'web', { runtimeClass: 'gvisr', containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => chart.toJson()).toThrow(/\[prod\/web\] error runtime-class-unknown: .*"gvisr".*"gvisor"/);
  });

  test('the handler where the class name belongs is called out', () => {
    const { chart } = setup();
    new SafePod(chart, 'web', { runtimeClass: 'runsc', containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => chart.toJson()).toThrow(/"runsc" is the handler of RuntimeClass "gvisor"/);
  });

  test('RuntimeClass.fromName declares a class the cluster provides', () => {
    const { chart } = setup();
    new SafePod(chart, 'web', { runtimeClass: RuntimeClass.fromName('kata-fc'), containers: [{ image: 'nginx:1.27.3' }] });
    expect(Testing.synth(chart)[0].spec.runtimeClassName).toEqual('kata-fc');
  });

  test('a pod nodeSelector that conflicts with the class scheduling fails as admission would', () => {
    const { chart, gvisor } = setup();
    const pod = new SafePod(chart, 'web', { runtimeClass: gvisor, containers: [{ image: 'nginx:1.27.3' }] });
    pod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('sandbox.example.com/gvisor', 'false')));
    // attract writes node affinity, not nodeSelector: no conflict at admission
    expect(() => chart.toJson()).not.toThrow();
    ApiObject.of(pod).addJsonPatch(JsonPatch.add('/spec/nodeSelector', { 'sandbox.example.com/gvisor': 'false' }));
    expect(() => chart.toJson()).toThrow(/error runtime-class-node-selector-conflict: /);
  });

  test('runtimeClass "" is refused at synth by the same rule as in a manifest', () => {
    const chart = Testing.chart();
    new SafePod(chart, 'web', { runtimeClass: '', containers: [{ image: 'nginx:1.27.3' }] });
    expect(() => Testing.synth(chart)).toThrow(/error runtime-class-name-invalid: .*runtimeClassName "" is not a RuntimeClass name/);
  });
});

describe('SafePod service links', () => {
  test('with links on, a Service whose variable the image refuses fails synth naming both objects and the variable', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const chart = new Chart(app, 'prod', { namespace: 'shop' });
    new kplus.Service(chart, 'kafka', { metadata: { name: 'kafka' }, ports: [{ name: 'broker', port: 9092 }] });
    new SafePod(chart, 'broker', { enableServiceLinks: true, containers: [{ name: 'kafka', image: 'confluentinc/cp-kafka:7.6.1' }] });
    expect(() => chart.toJson()).toThrow(
      /\[prod\/broker\] error env-service-link-prefix: Pod "[^"]*": container "kafka": Service "shop\/kafka" \(Service prod\/kafka\/Resource\) injects "KAFKA_PORT=tcp:\/\/<cluster-ip>:9092".*exits on KAFKA_PORT/,
    );
  });

  test('with links on, a shared prefix alone is not a finding: the app reads KAFKA_BROKERS by its exact name', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const chart = new Chart(app, 'prod', { namespace: 'shop' });
    new kplus.Service(chart, 'kafka', { metadata: { name: 'kafka' }, ports: [{ name: 'broker', port: 9092 }] });
    const pod = new SafePod(chart, 'consumer', {
      enableServiceLinks: true,
      containers: [{ name: 'app', image: 'ghcr.io/acme/consumer:1.0.0', envVariables: { KAFKA_BROKERS: kplus.EnvValue.fromValue('kafka:9092') } }],
    });
    expect(() => chart.toJson()).not.toThrow();
    expect(pod.findings()).toEqual([]);
  });

  test('with the default (links off) the same pod synthesizes, and says so explicitly', () => {
    const chart = new Chart(Testing.app(), 'prod', { namespace: 'shop' });
    new kplus.Service(chart, 'kafka', { metadata: { name: 'kafka' }, ports: [{ name: 'broker', port: 9092 }] });
    new SafePod(chart, 'consumer', {
      containers: [{ name: 'app', image: 'ghcr.io/acme/consumer:1.0.0', envVariables: { KAFKA_BROKERS: kplus.EnvValue.fromValue('kafka:9092') } }],
    });
    const pod = Testing.synth(chart).find((o) => o.kind === 'Pod');
    expect(pod.spec.enableServiceLinks).toBe(false);
  });
});

describe('SafePod synthesis', () => {
  test('a pod changed between two synths is judged and written afresh, also after a synth of another chart', () => {
    const app = Testing.app();
    SafePodsSettings.set(app, { warnings: WarningMode.IGNORE });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new SafePod(a, 'web', { containers: [{ image: 'nginx:1.27.3' }] });
    const pod = new SafePod(b, 'api', { containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.0.0' }] });
    Testing.synth(a); // validates the whole app, b's pod included, but writes only a
    pod.addContainer({ name: 'sidecar', image: 'envoyproxy/envoy:v1.31.2' });
    const [json] = Testing.synth(b);
    expect(json.spec.containers.map((c: { name: string }) => c.name)).toEqual(['api', 'sidecar']);
    pod.addContainer({ name: 'bad', image: 'nginx:latest' });
    expect(() => Testing.synth(b)).toThrow(/error image-not-pinned: Pod "[^"]*": container "bad"/);
  });

  test('the YAML is deterministic: two synths of the same app are identical', () => {
    const build = (): string => {
      const app = Testing.app();
      SafePodsSettings.set(app, { kubernetesVersion: KubernetesVersion.V1_30, warnings: WarningMode.IGNORE });
      const chart = new Chart(app, 'prod');
      new SafePod(chart, 'web', {
        containers: [
          { image: 'nginx:1.27.3', hooks: { preStop: LifecycleHook.sleep(5), postStart: LifecycleHook.exec(['/warm'], { budgetSeconds: 3 }) } },
        ],
      });
      return app.synthYaml();
    };
    expect(build()).toEqual(build());
  });
});

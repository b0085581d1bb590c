import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { explainObjects, explainPod, onlyContainer } from '../../src/explain';
import type { ExplainedContainer, ExplainedPod, TimelineLane } from '../../src/explain';
import {
  AdmissionOutcome,
  ConfigSourceKind,
  EnvSourceKind,
  ExplainedContainerKind,
  HookBound,
  MarkKind,
  PullPolicyOrigin,
  SpanKind,
} from '../../src/explain';
import { readManifestText } from '../../src/io/manifests';
import { KubernetesVersion } from '../../src/k8s/version';
import { checkObjects } from '../../src/rules/check';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'explain-shop.yaml');
const objects = readManifestText(fs.readFileSync(EXAMPLE, 'utf8'), EXAMPLE).objects;
const [shop] = explainObjects(objects);

function containerOf(pod: ExplainedPod, name: string): ExplainedContainer {
  const c = pod.containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}

function envOf(c: ExplainedContainer): Record<string, string> {
  return Object.fromEntries(c.env.map((v) => [v.name, v.value]));
}

function laneOf(lanes: readonly TimelineLane[], name: string): TimelineLane {
  const l = lanes.find((x) => x.container === name);
  if (!l) throw new Error(`no lane ${name}`);
  return l;
}

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p', namespace: 'shop' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function main(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'main', image: 'nginx:1.27.3', imagePullPolicy: 'IfNotPresent', ...extra };
}

describe('explainPod on the example of docs/explain.md', () => {
  test('the pod: hostname, service links, RuntimeClass admission and effective requests', () => {
    expect(shop).toMatchObject({ kind: 'Pod', name: 'web', namespace: 'shop', template: false, podSpecField: 'spec', kubernetesVersion: '1.27' });
    expect(shop.hostname).toEqual({ value: 'web', known: true, source: 'metadata.name' });
    expect(shop.serviceLinks).toBe(true);
    expect(shop.runtimeClass).toEqual({
      name: 'kata-qemu',
      known: true,
      handler: 'kata-qemu',
      overhead: { cpu: '250m', memory: '160Mi' },
      admission: AdmissionOutcome.ADMITTED,
    });
    // web requests 100m / 128Mi, plus the class's overhead 250m / 160Mi
    expect(shop.scheduling).toEqual({
      nodeSelector: { 'katacontainers.io/kata-runtime': 'true' },
      tolerations: [],
      effectiveRequests: { cpu: '350m', memory: '288Mi' },
    });
    expect(shop.problems).toEqual([]);
  });

  test('env: envFrom first, env in order with $(VAR) expanded against what came before, then the service variables', () => {
    const web = containerOf(shop, 'web');
    const names = web.env.map((v) => v.name);
    expect(names.slice(0, 7)).toEqual(['CACHE_TTL', 'LOG_LEVEL', 'POD_NAME', 'POD_IP', 'CACHE_URL', 'GREETING', 'NAMESPACE']);
    expect(names.slice(7, 14)).toEqual([
      'REDIS_SERVICE_HOST',
      'REDIS_SERVICE_PORT',
      'REDIS_PORT',
      'REDIS_PORT_6379_TCP',
      'REDIS_PORT_6379_TCP_PROTO',
      'REDIS_PORT_6379_TCP_PORT',
      'REDIS_PORT_6379_TCP_ADDR',
    ]);
    const env = envOf(web);
    expect(env).toMatchObject({
      CACHE_TTL: '300',
      LOG_LEVEL: 'debug',
      POD_NAME: 'web',
      POD_IP: '<status.podIP>',
      CACHE_URL: 'redis://10.0.0.11:6379/0',
      // a forward reference stays literal: NAMESPACE is defined only later
      GREETING: 'hello from web in $(NAMESPACE)',
      NAMESPACE: 'shop',
      API_SERVICE_HOST: '<cluster-ip>',
      KUBERNETES_SERVICE_PORT: '443',
    });
  });

  test('every variable carries its source; a shadowed entry is listed under the winner', () => {
    const web = containerOf(shop, 'web');
    const v = (name: string) => web.env.find((x) => x.name === name)!;
    expect(v('LOG_LEVEL')).toMatchObject({
      source: 'env[0]',
      sourceKind: EnvSourceKind.ENV,
      field: 'spec.containers[0].env[0]',
      shadowed: [{ value: 'info', source: 'envFrom[0] configMapRef app-config', sourceKind: EnvSourceKind.ENV_FROM }],
    });
    expect(v('CACHE_TTL')).toMatchObject({ source: 'envFrom[0] configMapRef app-config', sourceKind: EnvSourceKind.ENV_FROM, known: true });
    expect(v('POD_NAME')).toMatchObject({ source: 'env[1] downward API metadata.name', sourceKind: EnvSourceKind.DOWNWARD_API, known: true });
    expect(v('POD_IP')).toMatchObject({ source: 'env[2] downward API status.podIP', known: false });
    expect(v('CACHE_URL').references).toEqual([
      { name: 'REDIS_SERVICE_HOST', resolvedFrom: 'service redis' },
      { name: 'REDIS_SERVICE_PORT', resolvedFrom: 'service redis' },
    ]);
    expect(v('GREETING').references).toEqual([{ name: 'POD_NAME', resolvedFrom: 'env[1] downward API metadata.name' }, { name: 'NAMESPACE' }]);
    expect(v('REDIS_PORT')).toMatchObject({ source: 'service redis', sourceKind: EnvSourceKind.SERVICE, known: true });
    expect(v('API_PORT')).toMatchObject({ source: 'service api', known: false });
    expect(v('KUBERNETES_SERVICE_HOST')).toMatchObject({ source: 'default/kubernetes', sourceKind: EnvSourceKind.KUBERNETES_SERVICE });
  });

  test('envFrom sources: a ConfigMap among the manifests gives its keys, a Secret that is not is unknown', () => {
    expect(containerOf(shop, 'web').envFrom).toEqual([
      {
        source: 'envFrom[0] configMapRef app-config',
        kind: ConfigSourceKind.CONFIG_MAP,
        name: 'app-config',
        prefix: '',
        optional: false,
        names: ['CACHE_TTL', 'LOG_LEVEL'],
      },
      { source: 'envFrom[1] secretRef web-secrets', kind: ConfigSourceKind.SECRET, name: 'web-secrets', prefix: 'SECRET_', optional: false },
    ]);
  });

  test('command and args are expanded against the final environment', () => {
    const web = containerOf(shop, 'web');
    expect(web.command).toEqual({ written: ['/app/server'], expanded: ['/app/server'], references: [], dependsOn: [] });
    expect(web.args?.expanded).toEqual(['--listen=<status.podIP>:8080', '--cache=redis://10.0.0.11:6379/0', '--log=debug']);
    expect(containerOf(shop, 'log-shipper').command).toBeUndefined();
  });

  test('the image reference parts, and the pull policy written or defaulted', () => {
    expect(containerOf(shop, 'web').image).toMatchObject({
      reference: 'ghcr.io/acme/web:1.4.2',
      valid: true,
      domain: 'ghcr.io',
      path: 'acme/web',
      tag: '1.4.2',
      normalized: 'ghcr.io/acme/web:1.4.2',
      grammar: 'docker/distribution@v2.8',
      pullPolicy: 'IfNotPresent',
      pullPolicyOrigin: PullPolicyOrigin.DEFAULTED,
    });
    expect(containerOf(shop, 'web').image.pullPolicyReason).toMatch(/SetDefaults_Container gives IfNotPresent/);
    expect(containerOf(shop, 'log-shipper').image).toMatchObject({
      domain: 'docker.io',
      path: 'fluent/fluent-bit',
      pullPolicyOrigin: PullPolicyOrigin.WRITTEN,
    });
  });

  test("each container's findings are exactly the judge's findings for it (checkObjects filtered by container)", () => {
    const all = checkObjects(objects).findings;
    for (const c of shop.containers) {
      expect(c.findings.map((f) => [f.rule, f.message])).toEqual(all.filter((f) => f.container === c.name).map((f) => [f.rule, f.message]));
    }
    expect(containerOf(shop, 'web').findings.map((f) => f.rule)).toEqual(['image-pull-policy-missing']);
    expect(containerOf(shop, 'worker').findings.map((f) => f.rule)).toContain('lifecycle-prestop-exceeds-grace');
    expect(shop.findings).toEqual(all.filter((f) => f.container === undefined).map(({ kind: _k, name: _n, namespace: _ns, source: _s, ...f }) => f));
  });

  test('the start: postStart blocks Running and the next container', () => {
    const { start } = shop.timeline;
    expect(laneOf(start.lanes, 'web')).toEqual({
      container: 'web',
      kind: ExplainedContainerKind.CONTAINER,
      spans: [{ kind: SpanKind.POST_START, startSeconds: 0, endSeconds: 5, label: 'postStart exec, timeout 5 s', bound: HookBound.ENFORCED }],
      marks: [
        { kind: MarkKind.CREATED, atSeconds: 0, label: 'created at 0 s' },
        { kind: MarkKind.RUNNING, atSeconds: 5, label: 'Running at 5 s' },
      ],
    });
    expect(laneOf(start.lanes, 'log-shipper').marks[0]).toMatchObject({ kind: MarkKind.CREATED, atSeconds: 5 });
    expect(laneOf(start.lanes, 'log-shipper').spans[0]).toMatchObject({ kind: SpanKind.WAIT, startSeconds: 0, endSeconds: 5 });
    expect(start.endSeconds).toBe(5);
  });

  test('the stop: preStop inside the grace period, SIGTERM, the shutdown reserve, SIGKILL; the 2 s minimum after an overrunning preStop', () => {
    const { stop, gracePeriodSeconds, gracePeriodWritten } = shop.timeline;
    expect([gracePeriodSeconds, gracePeriodWritten]).toEqual([30, true]);
    const spans = (name: string) => laneOf(stop.lanes, name).spans.map((s) => [s.kind, s.startSeconds, s.endSeconds, s.cut ?? false]);
    const marks = (name: string) => laneOf(stop.lanes, name).marks.map((m) => [m.kind, m.atSeconds]);
    expect(spans('web')).toEqual([
      [SpanKind.PRE_STOP, 0, 15, false],
      [SpanKind.SHUTDOWN, 15, 25, false],
      [SpanKind.SLACK, 25, 30, false],
    ]);
    expect(marks('web')).toEqual([
      [MarkKind.SIGTERM, 15],
      [MarkKind.SIGKILL, 30],
    ]);
    // timeout 40 is cut at the 30 s deadline; the kubelet still gives 2 s
    expect(spans('worker')).toEqual([
      [SpanKind.PRE_STOP, 0, 30, true],
      [SpanKind.MINIMUM_GRACE, 30, 32, true],
    ]);
    expect(marks('worker')).toEqual([
      [MarkKind.SIGTERM, 30],
      [MarkKind.SIGKILL, 32],
    ]);
    // an httpGet preStop has no timeout: the default budget is drawn, and it may run to the deadline
    expect(laneOf(stop.lanes, 'log-shipper').spans[0]).toMatchObject({ bound: HookBound.UNBOUNDED, endSeconds: 10, worstCaseEndSeconds: 30 });
    expect(laneOf(stop.lanes, 'log-shipper').spans[1]).toMatchObject({ kind: SpanKind.SHUTDOWN, startSeconds: 10, endSeconds: 13 });
    expect(stop.endSeconds).toBe(32);
  });

  test('hook failure events are named where they would appear, with the kubectl commands that show them', () => {
    const { events, eventCommands } = shop.timeline;
    expect(events.map((e) => [e.reason, e.container, e.latestSeconds])).toEqual([
      ['FailedPostStartHook', 'web', 5],
      ['FailedPreStopHook', 'web', 15],
      ['FailedPreStopHook', 'log-shipper', 30],
      ['FailedPreStopHook', 'worker', 30],
    ]);
    expect(events.every((e) => e.type === 'Warning')).toBe(true);
    expect(eventCommands[0]).toBe('kubectl get events -n shop --field-selector involvedObject.name=web');
    expect(eventCommands).toContain('kubectl get events -n shop --field-selector reason=FailedPreStopHook');
  });
});

describe('hostname', () => {
  test.each([
    [
      { hostname: 'h', subdomain: 's' },
      { value: 'h', known: true, source: 'spec.hostname', fqdn: 'h.s.shop.svc.<cluster-domain>' },
    ],
    [{ hostNetwork: true }, { value: '<node hostname>', known: false }],
    [
      { hostname: 'h', subdomain: 's', setHostnameAsFQDN: true },
      { value: 'h.s.shop.svc.<cluster-domain>', known: false },
    ],
  ])('a Pod with %j', (spec, expected) => {
    expect(explainPod(pod({ ...spec, containers: [main()] })).hostname).toMatchObject(expected);
  });

  test('a name longer than 63 characters is cut, without a trailing "-" or "."', () => {
    const name = `${'a'.repeat(62)}-b`;
    expect(explainPod(pod({ containers: [main()] }, { name })).hostname).toMatchObject({ value: 'a'.repeat(62), known: true });
  });

  test('a template gets a generated pod name: a placeholder and how the controller makes it, never a guess', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [main()] } } },
    };
    const h = explainPod(deployment).hostname;
    expect(h).toMatchObject({ value: '<pod name>', known: false, source: 'generated pod name' });
    expect(h.note).toContain('web-<pod-template-hash>-<5 random characters>');
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { serviceName: 'db-headless', template: { spec: { containers: [main()] } } },
    };
    expect(explainPod(sts).hostname).toMatchObject({
      value: 'db-<ordinal>',
      known: false,
      fqdn: 'db-<ordinal>.db-headless.shop.svc.<cluster-domain>',
    });
  });
});

describe('valueFrom', () => {
  function env(entries: unknown[], extra: Record<string, unknown> = {}, metadata?: Record<string, unknown>, context = {}): ExplainedContainer {
    return explainPod(pod({ enableServiceLinks: false, containers: [main({ env: entries, ...extra })] }, metadata), context).containers[0];
  }
  const field = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { fieldPath } } });

  test('the downward API: what the object says is shown, what only the cluster knows is a named placeholder', () => {
    const c = env(
      [
        field('NAME', 'metadata.name'),
        field('NS', 'metadata.namespace'),
        field('UID', 'metadata.uid'),
        field('APP', "metadata.labels['app']"),
        field('NONE', "metadata.labels['x']"),
        field('NODE', 'spec.nodeName'),
      ],
      {},
      { name: 'p', namespace: 'shop', labels: { app: 'web' } },
    );
    expect(envOf(c)).toMatchObject({ NAME: 'p', NS: 'shop', UID: '<metadata.uid>', APP: 'web', NONE: '', NODE: '<spec.nodeName>' });
    expect(c.env.find((v) => v.name === 'UID')).toMatchObject({ known: false, source: 'env[2] downward API metadata.uid' });
    // no namespace written: unknown
    expect(envOf(env([field('NS', 'metadata.namespace')], {}, { name: 'p' }))).toMatchObject({ NS: '<metadata.namespace>' });
  });

  test('in a template, the pod name and a label the template lacks are placeholders (controllers add labels)', () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              main({ env: [field('N', 'metadata.name'), field('A', "metadata.labels['app']"), field('H', "metadata.labels['pod-template-hash']")] }),
            ],
          },
        },
      },
    };
    expect(envOf(explainPod(d).containers[0])).toMatchObject({ N: '<metadata.name>', A: 'web', H: "<metadata.labels['pod-template-hash']>" });
  });

  test('resourceFieldRef: the written request or limit divided by the divisor, rounded up; an unset limit is the node allocatable', () => {
    const c = env(
      [
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
        { name: 'CPU_CORES', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'EPH', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage' } } },
      ],
      { resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '1Gi' } } },
    );
    expect(envOf(c)).toMatchObject({ CPU: '500', CPU_CORES: '1', MEM: '1024', EPH: '<limits.ephemeral-storage: node allocatable>' });
  });

  test('configMapKeyRef reads a known ConfigMap; a missing optional key sets no variable; a Secret value is never shown', () => {
    const context = {
      configSources: [
        { kind: ConfigSourceKind.CONFIG_MAP, name: 'cm', keys: ['url'], values: { url: 'https://x' } },
        { kind: ConfigSourceKind.SECRET, name: 'sec', keys: ['password'] },
      ],
    };
    const c = env(
      [
        { name: 'URL', valueFrom: { configMapKeyRef: { name: 'cm', key: 'url' } } },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } },
        { name: 'REQ', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        { name: 'OTHER', valueFrom: { configMapKeyRef: { name: 'elsewhere', key: 'k' } } },
      ],
      {},
      undefined,
      context,
    );
    expect(envOf(c)).toMatchObject({
      URL: 'https://x',
      REQ: '<configMap cm: nope>',
      PW: '<secret sec: password>',
      OTHER: '<configMap elsewhere: k>',
    });
    expect(envOf(c)).not.toHaveProperty('OPT');
    expect(c.notes.join('\n')).toMatch(/optional reference sets no variable/);
    expect(c.notes.join('\n')).toMatch(/CreateContainerConfigError/);
    expect(c.env.find((v) => v.name === 'PW')).toMatchObject({ sourceKind: EnvSourceKind.SECRET_KEY, known: false });
  });
});

describe('service links', () => {
  const services = [{ name: 'redis', namespace: 'shop', clusterIP: '10.0.0.11', ports: [{ port: 6379 }] }];

  test('off: only default/kubernetes; its cluster IP is shown when given', () => {
    const c = explainPod(pod({ enableServiceLinks: false, containers: [main()] }), { services, kubernetesServiceIP: '10.96.0.1' }).containers[0];
    expect(new Set(c.env.map((v) => v.sourceKind))).toEqual(new Set([EnvSourceKind.KUBERNETES_SERVICE]));
    expect(envOf(c).KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    expect(c.env.every((v) => v.known)).toBe(true);
  });

  test('absent means on (SetDefaults_Pod), and the block size is measured against the env rules budget', () => {
    const p = explainPod(pod({ containers: [main()] }), { services });
    expect(p.serviceLinks).toBe(true);
    expect(envOf(p.containers[0]).REDIS_SERVICE_HOST).toBe('10.0.0.11');
    expect(p.containers[0].envSize).toMatchObject({ limitBytes: 32768, overLimit: false });
    expect(p.containers[0].envSize.serviceLinkBytes).toBeGreaterThan(0);
  });
});

describe('pull policy', () => {
  test.each([
    ['nginx', 'Always', /no tag and no digest/],
    ['nginx:latest', 'Always', /"latest"/],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent', /digest and no tag/],
    ['nginx:1.27.3', 'IfNotPresent', /"1.27.3" is not "latest"/],
    ['Nginx:1', 'IfNotPresent', /does not parse/],
  ])('%s defaults to %s', (image, policy, why) => {
    const c = explainPod(pod({ containers: [{ name: 'main', image }] })).containers[0];
    expect(c.image).toMatchObject({ pullPolicy: policy, pullPolicyOrigin: PullPolicyOrigin.DEFAULTED });
    expect(c.image.pullPolicyReason).toMatch(why);
  });

  test('a written value the API server refuses is shown as written, with why', () => {
    const c = explainPod(pod({ containers: [{ name: 'main', image: 'nginx:1', imagePullPolicy: 'always' }] })).containers[0];
    expect(c.image).toMatchObject({ pullPolicy: 'always', pullPolicyOrigin: PullPolicyOrigin.WRITTEN });
    expect(c.image.pullPolicyReason).toMatch(/refuses/);
  });
});

describe('RuntimeClass', () => {
  test('unknown classes: the outcome of admission is unknown, not guessed', () => {
    expect(explainPod(pod({ runtimeClassName: 'kata', containers: [main()] })).runtimeClass).toEqual({
      name: 'kata',
      known: false,
      overhead: {},
      admission: AdmissionOutcome.UNKNOWN,
    });
  });

  test('a class the cluster does not have is refused with the upstream message', () => {
    const rc = explainPod(pod({ runtimeClassName: 'kata', containers: [main()] }), { runtimeClasses: new Map() }).runtimeClass;
    expect(rc).toMatchObject({ admission: AdmissionOutcome.REJECTED, rejection: 'pod rejected: RuntimeClass "kata" not found' });
  });

  test('a node selector conflict is refused; a class with tolerations merges them', () => {
    const runtimeClasses = new Map([
      ['gv', { name: 'gv', handler: 'runsc', nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Exists' }] }],
    ]);
    const conflict = explainPod(pod({ runtimeClassName: 'gv', nodeSelector: { sandbox: 'no' }, containers: [main()] }), { runtimeClasses });
    expect(conflict.runtimeClass).toMatchObject({ admission: AdmissionOutcome.REJECTED });
    expect(conflict.scheduling.nodeSelector).toEqual({ sandbox: 'no' });
    const ok = explainPod(pod({ runtimeClassName: 'gv', containers: [main()] }), { runtimeClasses });
    expect(ok.scheduling).toMatchObject({ nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Exists' }] });
  });
});

describe('timeline', () => {
  function stopOf(spec: Record<string, unknown>, version?: KubernetesVersion, metadata?: Record<string, unknown>): ExplainedPod {
    return explainPod(pod(spec, metadata), version ? { kubernetesVersion: version } : {});
  }
  const sleep = (n: number) => ({ exec: { command: ['sleep', String(n)] } });

  test('no grace period written: 30 s, defaulted; without hooks SIGTERM at 0 and the reserve, then SIGKILL at the deadline', () => {
    const p = stopOf({ containers: [main()] });
    expect([p.timeline.gracePeriodSeconds, p.timeline.gracePeriodWritten]).toEqual([30, false]);
    expect(p.timeline.stop.lanes[0].spans.map((s) => [s.kind, s.startSeconds, s.endSeconds])).toEqual([
      [SpanKind.SHUTDOWN, 0, 10],
      [SpanKind.SLACK, 10, 30],
    ]);
    expect(p.timeline.events).toEqual([]);
    expect(p.timeline.eventCommands).toEqual([]);
  });

  test('a preStop that leaves less than 2 s: the kubelet minimum follows it', () => {
    const p = stopOf({ terminationGracePeriodSeconds: 30, containers: [main({ lifecycle: { preStop: sleep(29) } })] });
    const lane = p.timeline.stop.lanes[0];
    expect(lane.spans.map((s) => [s.kind, s.startSeconds, s.endSeconds])).toEqual([
      [SpanKind.PRE_STOP, 0, 29],
      [SpanKind.MINIMUM_GRACE, 29, 31],
    ]);
    expect(lane.marks.find((m) => m.kind === MarkKind.SIGKILL)?.atSeconds).toBe(31);
  });

  test('grace period 0: preStop does not run, SIGKILL after the 2 s minimum', () => {
    const p = stopOf({ terminationGracePeriodSeconds: 0, containers: [main({ lifecycle: { preStop: sleep(5) } })] });
    expect(p.timeline.stop.lanes[0].spans.map((s) => s.kind)).toEqual([SpanKind.MINIMUM_GRACE]);
    expect(p.timeline.stop.notes.join('\n')).toMatch(/skips preStop/);
  });

  test('a tcpSocket postStart fails at once: FailedPostStartHook at the creation, never Running', () => {
    const p = stopOf({ containers: [main({ lifecycle: { postStart: { tcpSocket: { port: 80 } } } })] });
    const lane = p.timeline.start.lanes[0];
    expect(lane.spans[0]).toMatchObject({ bound: HookBound.FAILS_AT_ONCE, startSeconds: 0, endSeconds: 0 });
    expect(lane.marks.map((m) => m.kind)).toEqual([MarkKind.CREATED]);
    expect(p.timeline.events[0]).toMatchObject({ reason: 'FailedPostStartHook', latestSeconds: 0 });
  });

  test('an unbounded postStart may never end and records no event when it hangs; a declared budget is drawn as declared', () => {
    const unbounded = stopOf({ containers: [main({ lifecycle: { postStart: { exec: { command: ['/warm'] } } } })] });
    expect(unbounded.timeline.start.lanes[0].spans[0]).toMatchObject({ bound: HookBound.UNBOUNDED, endSeconds: 10, worstCaseEndSeconds: null });
    expect(unbounded.timeline.events[0].latestSeconds).toBeUndefined();
    const declaredPreStop = stopOf({ containers: [main({ lifecycle: { preStop: { httpGet: { path: '/drain', port: 80 } } } })] }, undefined, {
      name: 'p',
      annotations: { 'safe-pods.cdk8s.io/hook-budgets': '{"main":{"preStop":5}}' },
    });
    // a declared budget is drawn, but the kubelet does not enforce it: a failure can come until the deadline
    expect(declaredPreStop.timeline.stop.lanes[0].spans[0]).toMatchObject({ bound: HookBound.DECLARED, endSeconds: 5 });
    expect(declaredPreStop.timeline.events[0]).toMatchObject({ reason: 'FailedPreStopHook', latestSeconds: 30 });
    const declared = stopOf({ containers: [main({ lifecycle: { postStart: { httpGet: { path: '/warm', port: 80 } } } })] }, undefined, {
      name: 'p',
      annotations: { 'safe-pods.cdk8s.io/hook-budgets': '{"main":{"postStart":3}}' },
    });
    expect(declared.timeline.start.lanes[0].spans[0]).toMatchObject({ bound: HookBound.DECLARED, endSeconds: 3 });
  });

  test('the native sleep runs from 1.30; on 1.27 it is not run, and the container says so', () => {
    const spec = { containers: [main({ lifecycle: { preStop: { sleep: { seconds: 5 } } } })] };
    expect(stopOf(spec, KubernetesVersion.V1_30).timeline.stop.lanes[0].spans[0]).toMatchObject({
      kind: SpanKind.PRE_STOP,
      endSeconds: 5,
      bound: HookBound.ENFORCED,
    });
    const old = stopOf(spec, KubernetesVersion.V1_27);
    expect(old.timeline.stop.lanes[0].spans[0].kind).toBe(SpanKind.SHUTDOWN);
    expect(old.containers[0].notes.join('\n')).toMatch(/preStop sleep is not run: Kubernetes 1.27 does not know the field/);
  });

  test('a sidecar (1.29+) starts first and gets SIGTERM after the containers exit; on 1.27 it is an init container without a lane', () => {
    const spec = {
      initContainers: [{ name: 'proxy', image: 'envoy:1.30.1', restartPolicy: 'Always' }],
      containers: [main({ lifecycle: { preStop: sleep(5) } })],
    };
    const p = stopOf(spec, KubernetesVersion.V1_29);
    expect(p.containers.map((c) => [c.name, c.kind])).toEqual([
      ['proxy', ExplainedContainerKind.SIDECAR],
      ['main', ExplainedContainerKind.CONTAINER],
    ]);
    expect(p.timeline.start.lanes.map((l) => l.container)).toEqual(['proxy', 'main']);
    const proxy = laneOf(p.timeline.stop.lanes, 'proxy');
    // main: preStop 5 s, then its 10 s reserve: it exits at 15 s
    expect(proxy.spans[0]).toMatchObject({ kind: SpanKind.WAIT, startSeconds: 0, endSeconds: 15 });
    expect(proxy.marks[0]).toMatchObject({ kind: MarkKind.SIGTERM, atSeconds: 15 });
    expect(stopOf(spec, KubernetesVersion.V1_27).timeline.stop.lanes.map((l) => l.container)).toEqual(['main']);
  });

  test('a template: the kubectl command names the pod by a placeholder', () => {
    const d = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [main({ lifecycle: { preStop: sleep(1) } })] } } },
    };
    expect(explainPod(d).timeline.eventCommands[0]).toBe('kubectl get events --field-selector involvedObject.name=<pod name>');
  });
});

describe('onlyContainer', () => {
  test('keeps the container, its lanes and its events; undefined for a container the pod does not have', () => {
    const web = onlyContainer(shop, 'web')!;
    expect(web.containers.map((c) => c.name)).toEqual(['web']);
    expect(web.timeline.stop.lanes.map((l) => l.container)).toEqual(['web']);
    expect(new Set(web.timeline.events.map((e) => e.container))).toEqual(new Set(['web']));
    expect(onlyContainer(shop, 'nope')).toBeUndefined();
    expect(onlyContainer(shop, 'worker')!.timeline.eventCommands).toEqual([
      'kubectl get events -n shop --field-selector involvedObject.name=web',
      'kubectl get events -n shop --field-selector reason=FailedPreStopHook',
    ]);
  });
});

describe('malformed input', () => {
  test.each([
    [null, /no kind/],
    [5, /no kind/],
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, /Service "v1" has no pod spec/],
  ])('%j is reported, not thrown', (object, problem) => {
    const p = explainPod(object);
    expect(p.containers).toEqual([]);
    expect(p.problems.map((x) => x.message).join('\n')).toMatch(problem);
  });

  test('wrong JSON types are field-type-invalid findings of the judge, read as absent; the rest is explained', () => {
    const p = explainPod(
      pod({
        terminationGracePeriodSeconds: '30',
        nodeSelector: { a: 1 },
        containers: [
          'not a container',
          {
            name: 'main',
            image: 7,
            command: 'ls',
            args: ['-l', 3],
            env: [{ name: 'A', value: 3 }, 'x', { value: 'no name' }, { name: 'B', value: '$(A)' }],
            envFrom: [{ prefix: 'X_' }],
            lifecycle: { preStop: { exec: { command: 'sleep 5' } }, postStart: 5 },
            resources: { requests: { cpu: 'lots', memory: {} } },
          },
        ],
      }),
    );
    // read once, by the judge's normaliser: each wrong type is its finding, at the pod or at its container
    const findings = [...p.findings, ...p.containers.flatMap((c) => c.findings)];
    expect(findings.filter((f) => f.rule === 'field-type-invalid').map((f) => f.field)).toEqual(
      expect.arrayContaining([
        'spec.terminationGracePeriodSeconds',
        'spec.nodeSelector["a"]',
        'spec.containers[0]',
        'spec.containers[1].image',
        'spec.containers[1].command',
        'spec.containers[1].args[1]',
        'spec.containers[1].env[0].value',
        'spec.containers[1].env[1]',
        'spec.containers[1].lifecycle.preStop.exec.command',
        'spec.containers[1].lifecycle.postStart',
        'spec.containers[1].resources.requests["memory"]',
      ]),
    );
    expect(findings.map((f) => `${f.rule} ${f.field}`)).toContain('env-name-invalid spec.containers[1].env[2].name');
    // what the explanation itself could not use: a quantity that does not parse
    expect(p.problems.map((x) => x.field)).toEqual(['spec.containers[1].resources', 'spec']);
    expect(p.containers.map((c) => c.name)).toEqual(['main']);
    expect(envOf(p.containers[0])).toMatchObject({ A: '', B: '' });
    expect(p.timeline.gracePeriodSeconds).toBe(30);
  });

  test('a field of the wrong type is reported once, by the judge, and the rest of the pod is explained', () => {
    const p = explainPod(pod({ containers: [main({ env: 'x' })] }));
    expect(p.problems).toEqual([]);
    expect(p.containers[0].name).toBe('main');
    expect(p.containers[0].findings.map((f) => f.rule)).toContain('field-type-invalid');
  });

  test('anything anywhere in a pod never throws', () => {
    const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true });
    const containerArb = fc.record(
      {
        name: fc.oneof(fc.string(), anything),
        image: fc.oneof(fc.string(), anything),
        env: fc.oneof(fc.array(fc.record({ name: anything, value: anything, valueFrom: anything })), anything),
        envFrom: anything,
        command: anything,
        args: anything,
        lifecycle: fc.oneof(fc.record({ postStart: anything, preStop: anything }), anything),
        resources: anything,
      },
      { requiredKeys: [] },
    );
    const spec = fc.record(
      {
        containers: fc.oneof(fc.array(fc.oneof(containerArb, anything)), anything),
        initContainers: anything,
        terminationGracePeriodSeconds: anything,
        runtimeClassName: anything,
        nodeSelector: anything,
        tolerations: anything,
        enableServiceLinks: anything,
        hostname: anything,
        overhead: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(spec, anything, (s, meta) => {
        const p = explainPod({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: s }, { runtimeClasses: new Map(), services: [] });
        expect(typeof p.kind).toBe('string');
        expect(() => JSON.stringify(p)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

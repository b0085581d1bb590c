import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { KubernetesVersion } from '../../src/k8s/version';
import type { JsonObject } from '../../src/k8s/shapes';
import { checkObjects, contextFor, factsOf } from '../../src/rules/check';
import { ObjectRole, roleOf, subjectsOf } from '../../src/rules/normalize';
import type { JudgeContext, PodSubject, Rule } from '../../src/rules/types';
import { Severity } from '../../src/rules/types';

function vectors(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vectors', name), 'utf8'));
}

const POD_SPEC = { containers: [{ name: 'main', image: 'nginx:1.27.3' }] };

/** The same pod spec wrapped in every workload kind: [kind, apiVersion, object, podSpecPath]. */
const WORKLOADS: Array<[string, string, JsonObject, string]> = [
  ['Pod', 'v1', { spec: POD_SPEC }, 'spec'],
  ['Deployment', 'apps/v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['StatefulSet', 'apps/v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['DaemonSet', 'apps/v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['ReplicaSet', 'apps/v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['ReplicationController', 'v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['Job', 'batch/v1', { spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
  ['CronJob', 'batch/v1', { spec: { jobTemplate: { spec: { template: { spec: POD_SPEC } } } } }, 'spec.jobTemplate.spec.template.spec'],
  ['PodTemplate', 'v1', { template: { spec: POD_SPEC } }, 'template.spec'],
];

function get(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o as JsonObject)[k], obj);
}

/** A test rule that reports every container whose image ends in `:latest`. */
const LATEST_RULE: Rule = {
  id: 'test-latest',
  severity: Severity.ERROR,
  title: 'No latest',
  reason: 'test',
  fix: 'pin it',
  check: (s) =>
    s.containers.flatMap((c) =>
      c.container.image?.endsWith(':latest')
        ? [{ message: `container ${JSON.stringify(c.name)}: latest`, field: `${c.path}.image`, container: c.name }]
        : [],
    ),
};

/** A test rule that reports a `runtimeClassName` the context does not know. */
const RUNTIME_CLASS_RULE: Rule = {
  id: 'test-runtime-class',
  severity: Severity.ERROR,
  title: 'Known runtime class',
  reason: 'test',
  fix: 'define it',
  check: (s, ctx) =>
    s.spec.runtimeClassName !== undefined && ctx.runtimeClasses !== undefined && !ctx.runtimeClasses.has(s.spec.runtimeClassName)
      ? [{ message: `runtimeClassName ${JSON.stringify(s.spec.runtimeClassName)} is unknown`, field: `${s.podSpecPath}.runtimeClassName` }]
      : [],
};

describe('subjectsOf', () => {
  test.each(WORKLOADS)('finds the pod spec of a %s (%s) at its path', (kind, apiVersion, body, podSpecPath) => {
    const obj = { apiVersion, kind, metadata: { name: 'web', namespace: 'prod' }, ...body };
    const [subject, ...rest] = subjectsOf(obj);
    expect(rest).toEqual([]);
    expect(subject).toMatchObject({ kind, name: 'web', namespace: 'prod', podSpecPath, isPod: kind === 'Pod' });
    // a well-typed pod spec is read as it is, without a copy
    expect(subject.spec).toBe(get(obj, podSpecPath));
    expect(subject.problems).toEqual([]);
  });

  test.each([
    ['a Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [] } }],
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: {} }],
    ['a custom resource without a pod template', { apiVersion: 'example.com/v1', kind: 'Deployment', spec: { replicas: 2 } }],
    ['a Deployment without apiVersion', { kind: 'Deployment', spec: { template: { spec: POD_SPEC } } }],
    ['a kind inherited from Object.prototype', { apiVersion: 'v1', kind: 'toString', spec: POD_SPEC }],
    ['null', null],
    ['a string', 'kind: Pod'],
  ])('gives no subject for %s', (_, obj) => {
    expect(subjectsOf(obj)).toEqual([]);
  });

  test.each([
    ['an Argo Rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { template: { spec: POD_SPEC } } }, 'spec.template.spec'],
    [
      'an OpenShift DeploymentConfig',
      { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', spec: { template: { spec: POD_SPEC } } },
      'spec.template.spec',
    ],
    [
      'an OpenShift 3 DeploymentConfig, written as v1 (a kind Kubernetes does not serve in its core group)',
      { apiVersion: 'v1', kind: 'DeploymentConfig', spec: { template: { spec: POD_SPEC } } },
      'spec.template.spec',
    ],
    [
      'a custom CronJob-like kind',
      { apiVersion: 'example.com/v1', kind: 'Schedule', spec: { jobTemplate: { spec: { template: { spec: POD_SPEC } } } } },
      'spec.jobTemplate.spec.template.spec',
    ],
  ])('finds the pod template of %s by its shape, with its kind', (_, obj, podSpecPath) => {
    const [s] = subjectsOf(obj);
    expect(s).toMatchObject({ kind: obj.kind, podSpecPath, isPod: false });
    expect(roleOf(obj)).toBe(ObjectRole.POD);
  });

  test('counts the roles of objects it does not judge', () => {
    expect(roleOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(ObjectRole.NO_POD_SPEC);
    expect(roleOf({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', spec: {} })).toBe(ObjectRole.NOT_JUDGED);
    expect(roleOf({ kind: 'Pod' })).toBe(ObjectRole.NOT_AN_OBJECT);
  });

  test.each([
    ['a Deployment without a template', { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} }, []],
    ['a Pod whose spec is not an object', { apiVersion: 'v1', kind: 'Pod', spec: 'x' }, ['spec']],
  ])('gives a built-in workload without a usable pod spec one subject, reported (%s)', (_, obj, problemFields) => {
    const subjects = subjectsOf(obj);
    expect(subjects).toHaveLength(1);
    expect(subjects[0].containers).toEqual([]);
    expect(subjects[0].problems.map((p) => p.field)).toEqual(problemFields);
  });

  test('accepts the old extensions group for Deployments', () => {
    expect(subjectsOf({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', spec: { template: { spec: POD_SPEC } } })).toHaveLength(1);
  });

  test('leaves namespace unset when the object has none and falls back to generateName', () => {
    const [s] = subjectsOf({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'job-' }, spec: POD_SPEC });
    expect(s.name).toBe('job-');
    expect('namespace' in s).toBe(false);
  });

  test('merges object and template annotations; the template wins on the same key', () => {
    const [s] = subjectsOf({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { annotations: { a: 'object', b: 'object' } },
      spec: { template: { metadata: { annotations: { b: 'template', c: 'template' } }, spec: POD_SPEC } },
    });
    expect(s.annotations).toEqual({ a: 'object', b: 'template', c: 'template' });
  });

  test("merges a CronJob's three levels of annotations, innermost first", () => {
    const [s] = subjectsOf({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { annotations: { a: 'cronjob', b: 'cronjob', c: 'cronjob' } },
      spec: {
        jobTemplate: {
          metadata: { annotations: { b: 'job', c: 'job' } },
          spec: { template: { metadata: { annotations: { c: 'pod' } }, spec: POD_SPEC } },
        },
      },
    });
    expect(s.annotations).toEqual({ a: 'cronjob', b: 'job', c: 'pod' });
  });

  test('reports a non-string annotation (YAML `yes` is a boolean) and leaves it out, so it suppresses nothing', () => {
    const [s] = subjectsOf({ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { a: null, b: 5, c: true, d: 'ok' } }, spec: POD_SPEC });
    expect(s.annotations).toEqual({ d: 'ok' });
    expect(s.problems.map((p) => p.field)).toEqual(['metadata.annotations["b"]', 'metadata.annotations["c"]']);
    expect(s.problems[1].message).toMatch(/must be a string, found the boolean true.*quote the value/);
  });

  test('finds exactly one subject whose pod spec is the template, for any pod spec and workload kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORKLOADS), fc.dictionary(fc.string(), fc.jsonValue()), ([kind, apiVersion, body, podSpecPath], spec) => {
        const obj = JSON.parse(JSON.stringify({ apiVersion, kind, ...body }));
        const keys = podSpecPath.split('.');
        const parent = keys.slice(0, -1).reduce((o: JsonObject, k) => o[k] as JsonObject, obj);
        parent[keys[keys.length - 1]] = spec;
        const subjects = subjectsOf(obj);
        expect(subjects).toHaveLength(1);
        // every container the judge reads is a map, whatever the input held
        for (const c of subjects[0].containers) expect(typeof c.container).toBe('object');
      }),
    );
  });
});

describe('factsOf', () => {
  const rc = vectors('runtimeclass.json');
  const creatable = (rc.objects as any[]).filter((c) => c.op === 'create');

  test.each(creatable.map((c) => [c.id, c.object]))('reads RuntimeClass vector %s: handler, overhead and scheduling', (_, object) => {
    for (const apiVersion of ['node.k8s.io/v1', 'node.k8s.io/v1beta1']) {
      const facts = factsOf([{ ...object, kind: 'RuntimeClass', apiVersion }]).runtimeClasses.get(object.metadata.name);
      expect(facts).toEqual({
        name: object.metadata.name,
        ...(object.handler !== undefined ? { handler: object.handler } : {}),
        ...(object.overhead ? { podFixedOverhead: object.overhead.podFixed } : {}),
        ...(object.scheduling?.nodeSelector ? { nodeSelector: object.scheduling.nodeSelector } : {}),
        ...(object.scheduling?.tolerations ? { tolerations: object.scheduling.tolerations } : {}),
      });
    }
  });

  const svc = vectors('service-env.json');
  test.each((svc.cases as any[]).map((c) => [c.id, c.services]))('reads the Services of service-env vector %s', (_, services: any[]) => {
    const objects = services.map((s) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name, namespace: s.namespace },
      spec: { clusterIP: s.clusterIP, ...(s.type ? { type: s.type } : {}), ports: s.ports },
    }));
    expect(factsOf(objects).services).toEqual(
      services.map((s) => ({ name: s.name, namespace: s.namespace, clusterIP: s.clusterIP, ...(s.type ? { type: s.type } : {}), ports: s.ports })),
    );
  });

  test('ignores Services of other API versions, RuntimeClasses of other groups and every other kind', () => {
    const facts = factsOf([
      { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'x' } },
      { apiVersion: 'node.k8s.io/v1alpha1', kind: 'RuntimeClass', metadata: { name: 'old' }, spec: { runtimeHandler: 'x' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: POD_SPEC },
      null,
      42,
    ]);
    expect(facts.services).toEqual([]);
    expect([...facts.runtimeClasses.keys()]).toEqual([]);
  });

  test('records where a Service came from as its origin', () => {
    const facts = factsOf([
      { object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: {} }, source: { file: 'svc.yaml', line: 3 } },
    ]);
    expect(facts.services[0].origin).toBe('svc.yaml:3');
  });
});

describe('contextFor', () => {
  test('always knows the RuntimeClasses: the named ones plus those among the objects, objects winning', () => {
    const facts = factsOf([{ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'kata' }, handler: 'kata-qemu' }]);
    const ctx = contextFor(facts, { runtimeClasses: ['gvisor', 'kata'] });
    expect([...ctx.runtimeClasses!.keys()].sort()).toEqual(['gvisor', 'kata']);
    expect(ctx.runtimeClasses!.get('kata')!.handler).toBe('kata-qemu');
    expect(contextFor(factsOf([])).runtimeClasses).toEqual(new Map());
  });

  test('defaults to Kubernetes 1.27 without digests and passes the options through', () => {
    const empty = factsOf([]);
    expect(contextFor(empty)).toMatchObject({ kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false, services: [] });
    const svc = { name: 'cache', ports: [{ port: 6379 }] };
    expect(contextFor(empty, { kubernetesVersion: KubernetesVersion.V1_30, requireDigest: true, services: [svc] })).toMatchObject({
      kubernetesVersion: KubernetesVersion.V1_30,
      requireDigest: true,
      services: [svc],
    });
  });

  const rc = vectors('runtimeclass.json');
  test.each((rc.admission as any[]).map((c) => [c.id, c]))('knows exactly the RuntimeClasses of admission vector %s', (_, c) => {
    const objects = c.runtimeClasses.map((r: JsonObject) => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', ...r }));
    const ctx = contextFor(factsOf(objects));
    expect([...ctx.runtimeClasses!.keys()]).toEqual(c.runtimeClasses.map((r: any) => r.metadata.name));
  });
});

describe('checkObjects', () => {
  const pod = (name: string, image: string, extra: JsonObject = {}): JsonObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'prod', ...extra },
    spec: { containers: [{ name: 'main', image }] },
  });

  test('reports findings with the rule, severity, kind, name and namespace, in object order', () => {
    const { findings } = checkObjects([pod('a', 'nginx:latest'), pod('b', 'nginx:1.27.3'), pod('c', 'redis:latest')], {}, [LATEST_RULE]);
    expect(findings.map((f) => [f.rule, f.severity, f.kind, f.name, f.namespace, f.field, f.container])).toEqual([
      ['test-latest', 'error', 'Pod', 'a', 'prod', 'spec.containers[0].image', 'main'],
      ['test-latest', 'error', 'Pod', 'c', 'prod', 'spec.containers[0].image', 'main'],
    ]);
    expect(findings[0].source).toBeUndefined();
  });

  test('uses the line and column of the field when the object can locate it, else the line of the object', () => {
    const { findings } = checkObjects(
      [
        {
          object: pod('a', 'nginx:latest'),
          source: { file: 'a.yaml', document: 0, line: 1 },
          locate: (f) => (f === 'spec.containers[0].image' ? { line: 9, column: 14 } : undefined),
        },
        { object: pod('b', 'nginx:latest'), source: { file: 'a.yaml', document: 1, line: 12 } },
      ],
      {},
      [LATEST_RULE],
    );
    expect(findings.map((f) => f.source)).toEqual([
      { file: 'a.yaml', document: 0, line: 9, column: 14 },
      { file: 'a.yaml', document: 1, line: 12 },
    ]);
  });

  test('reports a RuntimeClass that is neither among the objects nor named in the options', () => {
    const uses = (rcName: string): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: rcName },
      spec: { template: { spec: { runtimeClassName: rcName, containers: [] } } },
    });
    const { findings } = checkObjects(
      [
        uses('kata'),
        uses('gvisor'),
        uses('missing'),
        { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'kata' }, handler: 'kata' },
      ],
      { runtimeClasses: ['gvisor'] },
      [RUNTIME_CLASS_RULE],
    );
    expect(findings.map((f) => [f.name, f.field])).toEqual([['missing', 'spec.template.spec.runtimeClassName']]);
  });

  test('gives the rules the Services among the objects and those in the options', () => {
    const seen: JudgeContext[] = [];
    const spy: Rule = { ...LATEST_RULE, id: 'spy', check: (_s: PodSubject, ctx: JudgeContext) => (seen.push(ctx), []) };
    checkObjects(
      [
        pod('a', 'x'),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'prod' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 5432 }] } },
      ],
      { services: [{ name: 'kubernetes', namespace: 'default', clusterIP: '10.96.0.1', ports: [{ port: 443 }] }] },
      [spy],
    );
    expect(seen).toHaveLength(1);
    expect(seen[0].services!.map((s) => `${s.namespace}/${s.name}`)).toEqual(['default/kubernetes', 'prod/db']);
  });

  test('honours a suppression on the pod template and reports one without a reason', () => {
    const deploy = (annotations: Record<string, string>): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { metadata: { annotations }, spec: { containers: [{ name: 'main', image: 'nginx:latest' }] } } },
    });
    expect(checkObjects([deploy({ 'safe-pods.cdk8s.io/suppress.test-latest.main': 'kind cluster only' })], {}, [LATEST_RULE]).findings).toEqual([]);
    const { findings } = checkObjects([deploy({ 'safe-pods.cdk8s.io/suppress.test-latest': '' })], {}, [LATEST_RULE]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['suppression-without-reason', 'test-latest']);
  });

  test('counts what it judged and the custom resources it found no pod template in', () => {
    const result = checkObjects(
      [
        pod('a', 'nginx:1.27.3'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
        { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'x' }, spec: {} },
        { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'y' }, spec: {} },
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: POD_SPEC } } },
      ],
      {},
      [LATEST_RULE],
    );
    expect(result.judged).toBe(2);
    expect(result.notJudged).toEqual({ Certificate: 2 });
  });

  test('judges 20,000 objects with Services among them', () => {
    const objects: JsonObject[] = [];
    for (let i = 0; i < 10_000; i++) {
      objects.push(pod(`p${i}`, i % 2 ? 'nginx:latest' : 'nginx:1.27.3'));
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } });
    }
    expect(checkObjects(objects, {}, [LATEST_RULE, RUNTIME_CLASS_RULE]).findings).toHaveLength(5_000);
  });
});

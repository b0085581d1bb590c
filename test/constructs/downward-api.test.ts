import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { addCommonDownwardEnv, COMMON_DOWNWARD_ENV, DownwardApi } from '../../src/constructs/downward-api';
import { envFieldRefProblems } from '../../src/env/field-refs';
import { ManifestError } from '../../src/k8s/errors';
import { KubernetesVersion } from '../../src/k8s/version';
import { ENV_RULES } from '../../src/rules/env';
import { judgeSubject } from '../../src/rules/judge';
import type { ContainerJson } from '../../src/k8s/shapes';
import { podSubject } from '../support/subjects';

function containerJson(configure: (c: kplus.Container) => void): ContainerJson {
  const chart = Testing.chart();
  const p = new kplus.Pod(chart, 'pod');
  const c = p.addContainer({ name: 'main', image: 'app:1.0.0' });
  configure(c);
  const [manifest] = Testing.synth(chart);
  return manifest.spec.containers[0] as ContainerJson;
}

describe('DownwardApi', () => {
  test.each([
    ['podName', DownwardApi.podName(), 'metadata.name'],
    ['podNamespace', DownwardApi.podNamespace(), 'metadata.namespace'],
    ['podUid', DownwardApi.podUid(), 'metadata.uid'],
    ['label', DownwardApi.label('app.kubernetes.io/name'), "metadata.labels['app.kubernetes.io/name']"],
    ['annotation', DownwardApi.annotation('Example.com/Owner'), "metadata.annotations['Example.com/Owner']"],
    ['nodeName', DownwardApi.nodeName(), 'spec.nodeName'],
    ['serviceAccountName', DownwardApi.serviceAccountName(), 'spec.serviceAccountName'],
    ['hostIP', DownwardApi.hostIP(), 'status.hostIP'],
    ['hostIPs', DownwardApi.hostIPs(), 'status.hostIPs'],
    ['podIP', DownwardApi.podIP(), 'status.podIP'],
    ['podIPs', DownwardApi.podIPs(), 'status.podIPs'],
  ])('%s() renders fieldRef %p', (_name, value, path) => {
    const c = containerJson((ct) => ct.env.addVariable('X', value));
    expect(c.env).toEqual([{ name: 'X', valueFrom: { fieldRef: { fieldPath: path } } }]);
  });

  test('every fieldRef helper except hostIPs is valid on 1.27, and hostIPs from 1.29', () => {
    const paths = [DownwardApi.podName(), DownwardApi.podIPs(), DownwardApi.hostIP(), DownwardApi.label('a'), DownwardApi.annotation('B')].map(
      (v) => v.valueFrom.fieldRef.fieldPath as string,
    );
    for (const p of paths) expect(envFieldRefProblems(p, undefined, KubernetesVersion.V1_27)).toEqual([]);
    expect(envFieldRefProblems('status.hostIPs', undefined, KubernetesVersion.V1_27)).toHaveLength(1);
    expect(envFieldRefProblems('status.hostIPs', undefined, KubernetesVersion.V1_29)).toEqual([]);
  });

  test.each([
    ['cpuLimit', DownwardApi.cpuLimit({ divisor: '1m' }), { resource: 'limits.cpu', divisor: '1m' }],
    ['cpuRequest', DownwardApi.cpuRequest(), { resource: 'requests.cpu' }],
    ['memoryLimit', DownwardApi.memoryLimit({ divisor: '1Mi' }), { resource: 'limits.memory', divisor: '1Mi' }],
    ['memoryRequest', DownwardApi.memoryRequest(), { resource: 'requests.memory' }],
    ['ephemeralStorageLimit', DownwardApi.ephemeralStorageLimit(), { resource: 'limits.ephemeral-storage' }],
    ['ephemeralStorageRequest', DownwardApi.ephemeralStorageRequest({ divisor: '1Gi' }), { resource: 'requests.ephemeral-storage', divisor: '1Gi' }],
    ['hugePagesLimit', DownwardApi.hugePagesLimit('2Mi'), { resource: 'limits.hugepages-2Mi' }],
    ['hugePagesRequest', DownwardApi.hugePagesRequest('1Gi'), { resource: 'requests.hugepages-1Gi' }],
  ])('%s() renders resourceFieldRef %p', (_name, value, ref) => {
    const c = containerJson((ct) => ct.env.addVariable('R', value));
    expect(c.env).toEqual([{ name: 'R', valueFrom: { resourceFieldRef: ref } }]);
  });

  test('a label key that is not a qualified name throws ManifestError at the call', () => {
    expect(() => DownwardApi.label('-bad')).toThrow(ManifestError);
    expect(() => DownwardApi.label('a/b/c')).toThrow(/label key "a\/b\/c" is not a qualified name/);
  });

  test('an annotation key is checked lower-cased, as the API server does', () => {
    expect(() => DownwardApi.annotation('Example.COM/Owner')).not.toThrow();
    expect(() => DownwardApi.annotation('example.com/')).toThrow(ManifestError);
  });

  test('a divisor the API server refuses throws ManifestError', () => {
    expect(() => DownwardApi.cpuLimit({ divisor: '1Mi' })).toThrow(/divisor "1Mi" is not supported for limits\.cpu; use one of "1m", "1"/);
    expect(() => DownwardApi.memoryRequest({ divisor: '1m' })).toThrow(ManifestError);
    expect(() => DownwardApi.hugePagesLimit('huge')).toThrow(ManifestError);
  });
});

describe('addCommonDownwardEnv', () => {
  test('adds POD_NAME, POD_NAMESPACE, POD_IP and NODE_NAME, which pass every env rule on 1.27', () => {
    const c = containerJson((ct) => addCommonDownwardEnv(ct));
    expect(c.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
    expect(Object.keys(COMMON_DOWNWARD_ENV)).toEqual(c.env!.map((e) => e.name));
    const subject = podSubject({ containers: [c] }, { name: 'p' });
    expect(judgeSubject(subject, { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false }, ENV_RULES)).toEqual([]);
  });

  test('refuses to overwrite a variable the container already sets', () => {
    expect(() =>
      containerJson((ct) => {
        ct.env.addVariable('POD_IP', kplus.EnvValue.fromValue('1.2.3.4'));
        addCommonDownwardEnv(ct);
      }),
    ).toThrow(/container "main": env "POD_IP" is already set/);
  });
});

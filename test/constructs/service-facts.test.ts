import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { serviceFacts, serviceLinkEnv } from '../../src/constructs/service-facts';
import { DEFAULTS } from '../../src/defaults';
import { ManifestError } from '../../src/k8s/errors';
import { SERVICE_ENV_CASES } from '../fixtures/service-env-cases';

describe('serviceFacts', () => {
  test('reads a cdk8s-plus Service: name, namespace, type, clusterIP, ports and construct path', () => {
    const chart = Testing.chart();
    const svc = new kplus.Service(chart, 'kafka', {
      metadata: { name: 'kafka', namespace: 'prod' },
      ports: [
        { name: 'broker', port: 9092 },
        { port: 9093, protocol: kplus.Protocol.UDP },
      ],
    });
    expect(serviceFacts(svc)).toEqual({
      name: 'kafka',
      namespace: 'prod',
      type: 'ClusterIP',
      clusterIP: undefined,
      ports: [
        { name: 'broker', port: 9092, protocol: undefined },
        { name: undefined, port: 9093, protocol: 'UDP' },
      ],
      origin: svc.node.path,
    });
  });

  test('reads a KubeService through its toJson(), including a generated name and a headless clusterIP', () => {
    const chart = Testing.chart();
    const svc = new kplus.k8s.KubeService(chart, 'db', { spec: { clusterIp: 'None', ports: [{ port: 5432, name: 'pg' }] } });
    const facts = serviceFacts(svc);
    expect(facts).toMatchObject({ name: svc.name, clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }], origin: svc.node.path });
    expect(serviceLinkEnv([svc], { enableServiceLinks: true, includeKubernetesService: false })).toEqual({});
  });

  test('refuses an ApiObject that is not a Service', () => {
    const chart = Testing.chart();
    const cm = new kplus.k8s.KubeConfigMap(chart, 'cm', {});
    expect(() => serviceFacts(cm as unknown as kplus.k8s.KubeService)).toThrow(ManifestError);
  });
});

describe('serviceLinkEnv', () => {
  test.each(SERVICE_ENV_CASES.map((c) => [c.id, c] as const))('vector %s, with the listed Services only', (_id, c) => {
    const env = serviceLinkEnv(c.services, {
      podNamespace: c.podNamespace,
      enableServiceLinks: c.enableServiceLinks,
      includeKubernetesService: false,
    });
    expect(env).toEqual(c.expected);
  });

  test('adds default/kubernetes even with links off, with its IP when given', () => {
    expect(serviceLinkEnv([], { enableServiceLinks: false, kubernetesServiceIP: '10.96.0.1' })).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });

  test('a cdk8s-plus Service gets exact names and the placeholder IP; a local "kubernetes" Service shadows the master', () => {
    const chart = Testing.chart();
    const redis = new kplus.Service(chart, 'redis', { metadata: { name: 'redis' }, ports: [{ port: 6379 }] });
    const local = new kplus.Service(chart, 'k', { metadata: { name: 'kubernetes' }, ports: [{ port: 8443, name: 'web' }] });
    const env = serviceLinkEnv([redis, local], { podNamespace: 'team-a', enableServiceLinks: true });
    expect(env.REDIS_PORT).toBe(`tcp://${DEFAULTS.unallocatedClusterIP}:6379`);
    expect(env.KUBERNETES_SERVICE_PORT).toBe('8443');
    expect(env.KUBERNETES_SERVICE_PORT_HTTPS).toBeUndefined();
  });

  test('Services of other namespaces are ignored', () => {
    const chart = Testing.chart();
    const other = new kplus.Service(chart, 'x', { metadata: { name: 'x', namespace: 'other' }, ports: [{ port: 1 }] });
    expect(Object.keys(serviceLinkEnv([other], { podNamespace: 'mine', enableServiceLinks: true })).every((k) => k.startsWith('KUBERNETES_'))).toBe(
      true,
    );
  });
});

import * as fc from 'fast-check';
import { DEFAULTS } from '../../src/defaults';
import { envBlockBytes, kubeletServiceEnv, masterServiceFacts, serviceEnvName } from '../../src/env/service-env';
import { validateEnvVarName } from '../../src/k8s/names';
import type { ServiceFacts } from '../../src/k8s/shapes';
import { SERVICE_ENV_CASES } from '../fixtures/service-env-cases';

describe('kubeletServiceEnv', () => {
  test.each(SERVICE_ENV_CASES.map((c) => [c.id, c] as const))('vector %s', (_id, c) => {
    const env = kubeletServiceEnv(c.services, { podNamespace: c.podNamespace, enableServiceLinks: c.enableServiceLinks });
    expect(env).toEqual(c.expected);
  });

  test('a Service whose IP is not allocated yet gets exact names and the documented placeholder IP', () => {
    const env = kubeletServiceEnv([{ name: 'kafka', ports: [{ port: 9092 }] }], { enableServiceLinks: true });
    expect(env).toEqual({
      KAFKA_SERVICE_HOST: DEFAULTS.unallocatedClusterIP,
      KAFKA_SERVICE_PORT: '9092',
      KAFKA_PORT: `tcp://${DEFAULTS.unallocatedClusterIP}:9092`,
      KAFKA_PORT_9092_TCP: `tcp://${DEFAULTS.unallocatedClusterIP}:9092`,
      KAFKA_PORT_9092_TCP_PROTO: 'tcp',
      KAFKA_PORT_9092_TCP_PORT: '9092',
      KAFKA_PORT_9092_TCP_ADDR: DEFAULTS.unallocatedClusterIP,
    });
  });

  test('an empty clusterIP on an ExternalName Service is skipped, on a ClusterIP Service it will be allocated', () => {
    const ports = [{ port: 80 }];
    const env = kubeletServiceEnv(
      [
        { name: 'ext', type: 'ExternalName', clusterIP: '', ports },
        { name: 'web', type: 'ClusterIP', clusterIP: '', ports },
      ],
      { enableServiceLinks: true, unallocatedClusterIP: 'IP' },
    );
    expect(Object.keys(env).filter((k) => k.startsWith('EXT_'))).toEqual([]);
    expect(env.WEB_SERVICE_HOST).toBe('IP');
  });

  test('the same port number on TCP and UDP gives two groups, and every named port its own _SERVICE_PORT_<NAME>', () => {
    const env = kubeletServiceEnv(
      [
        {
          name: 'dns',
          clusterIP: '10.0.0.10',
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, protocol: 'TCP' },
          ],
        },
      ],
      { enableServiceLinks: true },
    );
    expect(env).toMatchObject({
      DNS_SERVICE_PORT: '53',
      DNS_SERVICE_PORT_DNS: '53',
      DNS_SERVICE_PORT_DNS_TCP: '53',
      DNS_PORT: 'udp://10.0.0.10:53',
      DNS_PORT_53_UDP: 'udp://10.0.0.10:53',
      DNS_PORT_53_TCP: 'tcp://10.0.0.10:53',
    });
  });

  test('a port named "8083" is legal and gives _SERVICE_PORT_8083', () => {
    const env = kubeletServiceEnv([{ name: 'q-u-u-x', clusterIP: '1.2.3.4', ports: [{ name: '8083', port: 8083 }] }], { enableServiceLinks: true });
    expect(env.Q_U_U_X_SERVICE_PORT_8083).toBe('8083');
  });

  test('a Service without a namespace is in the pod namespace; with an unknown pod namespace only those count', () => {
    const services: ServiceFacts[] = [
      { name: 'a', clusterIP: '1.1.1.1', ports: [{ port: 1 }] },
      { name: 'b', namespace: 'team-b', clusterIP: '1.1.1.2', ports: [{ port: 2 }] },
    ];
    expect(Object.keys(kubeletServiceEnv(services, { enableServiceLinks: true })).some((k) => k.startsWith('B_'))).toBe(false);
    expect(kubeletServiceEnv(services, { podNamespace: 'team-b', enableServiceLinks: true })).toMatchObject({
      A_SERVICE_PORT: '1',
      B_SERVICE_PORT: '2',
    });
  });

  test('the master Service stays when links are off; a headless local "kubernetes" does not shadow it', () => {
    const services: ServiceFacts[] = [
      masterServiceFacts('10.96.0.1'),
      { name: 'kubernetes', namespace: 'x', clusterIP: 'None', ports: [{ port: 1 }] },
    ];
    for (const enableServiceLinks of [true, false]) {
      expect(kubeletServiceEnv(services, { podNamespace: 'x', enableServiceLinks }).KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    }
  });
});

describe('serviceEnvName', () => {
  test('replaces only "-" and upper-cases', () => {
    expect(serviceEnvName('redis-master-2')).toBe('REDIS_MASTER_2');
  });
});

describe('envBlockBytes', () => {
  test('counts NAME=value plus the terminating NUL, in UTF-8 bytes', () => {
    expect(envBlockBytes({ A: 'b', Ä: '' })).toBe(4 + 4);
  });
});

describe('service-link names (property)', () => {
  // Service names are DNS-1035 labels, port names DNS-1123 labels (IANA names are a subset)
  const dns1035 = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
  const portName = fc.option(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/), { nil: undefined });
  const port = fc.record({ name: portName, port: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom(undefined, 'TCP', 'UDP', 'SCTP') });

  test('every injected name is a valid strict env name under the Service prefix, and at most 3 + one per named port + 4 per port variables', () => {
    fc.assert(
      fc.property(dns1035, fc.array(port, { minLength: 1, maxLength: 4 }), fc.ipV4(), (name, ports, ip) => {
        const env = kubeletServiceEnv([{ name, clusterIP: ip, ports }], { enableServiceLinks: true });
        const prefix = `${serviceEnvName(name)}_`;
        for (const k of Object.keys(env)) {
          if (validateEnvVarName(k).length > 0 || !k.startsWith(prefix)) return false;
        }
        const named = ports.filter((p) => p.name).length;
        return Object.keys(env).length <= 3 + named + 4 * ports.length && env[`${prefix}SERVICE_PORT`] === String(ports[0].port);
      }),
    );
  });

  test('IPv6 addresses are bracketed in every URL and bare in _SERVICE_HOST and _ADDR', () => {
    fc.assert(
      fc.property(dns1035, fc.ipV6(), (name, ip) => {
        const env = kubeletServiceEnv([{ name, clusterIP: ip, ports: [{ port: 80 }] }], { enableServiceLinks: true });
        const p = serviceEnvName(name);
        return env[`${p}_PORT`] === `tcp://[${ip}]:80` && env[`${p}_SERVICE_HOST`] === ip && env[`${p}_PORT_80_TCP_ADDR`] === ip;
      }),
    );
  });
});

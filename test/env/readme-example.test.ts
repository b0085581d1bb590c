import { readFileSync } from 'fs';
import { join } from 'path';
import { serviceLinkEnv } from '../../src/constructs/service-facts';

describe('the worked example of docs/readme/env.md', () => {
  const services = [
    { name: 'redis-cache', namespace: 'shop', clusterIP: '10.0.0.11', ports: [{ port: 6379 }] },
    { name: 'kafka', namespace: 'shop', clusterIP: '10.0.0.12', ports: [{ name: 'broker', port: 9092 }, { name: 'metrics', port: 9404 }] },
  ];

  test('lists exactly the variables serviceLinkEnv computes', () => {
    const env = serviceLinkEnv(services, { podNamespace: 'shop', enableServiceLinks: true, kubernetesServiceIP: '10.96.0.1' });
    const doc = readFileSync(join(__dirname, '../../docs/readme/env.md'), 'utf8');
    const block = doc.split('### Worked example')[1].split('```')[1];
    const listed = new Set(block.split(/\s+/).filter((w) => w.includes('=')));
    expect(listed).toEqual(new Set(Object.entries(env).map(([k, v]) => `${k}=${v}`)));
    expect(Object.keys(env)).toHaveLength(28);
  });

  test('with links off only the 8 KUBERNETES_* variables remain', () => {
    expect(Object.keys(serviceLinkEnv(services, { podNamespace: 'shop', enableServiceLinks: false }))).toHaveLength(8);
  });
});

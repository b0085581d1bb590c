import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { servicesChart } from '../../examples/services';
import { serviceLinkEnv } from '../../src/constructs/service-facts';

describe('the worked example of docs/environment.md (examples/services.ts)', () => {
  const services = servicesChart(Testing.app())
    .node.findAll()
    .filter((c): c is kplus.Service => c instanceof kplus.Service);

  test('lists exactly the variables serviceLinkEnv computes', () => {
    expect(services.map((s) => s.name).sort()).toEqual(['kafka', 'redis-cache']);
    const env = serviceLinkEnv(services, { podNamespace: 'shop', enableServiceLinks: true, kubernetesServiceIP: '10.96.0.1' });
    const doc = readFileSync(join(__dirname, '../../docs/environment.md'), 'utf8');
    const block = doc.split('## Worked example')[1].split('```')[1];
    const listed = new Set(block.split(/\s+/).filter((w) => w.includes('=')));
    expect(listed).toEqual(new Set(Object.entries(env).map(([k, v]) => `${k}=${v}`)));
    expect(Object.keys(env)).toHaveLength(28);
  });

  test('with links off only the 8 KUBERNETES_* variables remain', () => {
    expect(Object.keys(serviceLinkEnv(services, { podNamespace: 'shop', enableServiceLinks: false }))).toHaveLength(8);
  });
});

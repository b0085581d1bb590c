import { DEFAULTS } from '../../src/defaults';
import { KubernetesVersion } from '../../src/k8s/version';
import { RULES } from '../../src/rules/catalogue';
import { ENV_RULES } from '../../src/rules/env';
import { judgeSubject } from '../../src/rules/judge';
import type { ContainerJson, PodSpecJson, ServiceFacts } from '../../src/k8s/shapes';
import type { Finding, JudgeContext, PodSubject } from '../../src/rules/types';
import { bestCpuMs } from '../support/cpu';
import { podSubject } from '../support/subjects';

import { Severity } from '../../src/rules/types';
import envNames from '../fixtures/vectors/env-names.json';

function pod(spec: PodSpecJson, namespace?: string): PodSubject {
  return podSubject(spec, { namespace });
}

function container(c: Partial<ContainerJson>): ContainerJson {
  return { name: 'main', image: 'app:1.0.0', ...c };
}

function ctx(extra: Partial<JudgeContext> = {}): JudgeContext {
  return { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false, ...extra };
}

function judge(subject: PodSubject, c: JudgeContext = ctx()): Finding[] {
  return judgeSubject(subject, c, ENV_RULES);
}

function ofRule(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

const kafka: ServiceFacts = { name: 'kafka', ports: [{ name: 'broker', port: 9092 }], origin: 'chart/kafka' };

describe('the env rules in the catalogue', () => {
  test('every env rule is in RULES once, with a stable kebab-case id', () => {
    for (const r of ENV_RULES) {
      expect(RULES.filter((x) => x.id === r.id)).toHaveLength(1);
      expect(r.id).toMatch(/^env-[a-z0-9-]+$/);
    }
  });

  test('no message ends with a period or contains the object path', () => {
    const findings = judge(
      pod({
        containers: [
          container({
            env: [{ name: 'KAFKA_BROKERS', value: '$(NOPE)' }, { name: 'KAFKA_SERVICE_HOST', value: 'x' }, { name: '1X' }, { name: '1X' }],
            command: ['$(MISSING)'],
          }),
        ],
      }),
      ctx({ services: [kafka] }),
    );
    expect(findings.length).toBeGreaterThan(4);
    for (const f of findings) {
      expect(f.message).not.toMatch(/\.$/);
      expect(f.message).toMatch(/^container "main": /);
      expect(f.field).toMatch(/^spec\.containers\[0\]\./);
    }
  });
});

describe('env-service-link-prefix', () => {
  const cpKafka = (env: ContainerJson['env'] = []): ContainerJson => container({ name: 'kafka', image: 'confluentinc/cp-kafka:7.6.1', env });
  const registry: ServiceFacts = { name: 'schema-registry', ports: [{ port: 8081 }] };

  test('a kafka Service next to confluentinc/cp-kafka is an error naming the injected KAFKA_PORT, the Service and why the image stops', () => {
    const [f, ...rest] = ofRule(judge(pod({ containers: [cpKafka()] }), ctx({ services: [kafka] })), 'env-service-link-prefix');
    expect(rest).toEqual([]);
    expect(f.severity).toBe(Severity.ERROR);
    expect(f.field).toBe('spec.containers[0].image');
    expect(f.message).toContain(`"KAFKA_PORT=tcp://${DEFAULTS.unallocatedClusterIP}:9092"`);
    expect(f.message).toContain('Service "kafka" (chart/kafka)');
    expect(f.message).toContain('"port is deprecated. Please use KAFKA_ADVERTISED_LISTENERS instead."');
    expect(f.message).toMatch(/enableServiceLinks: false/);
  });

  test('a schema-registry Service next to confluentinc/cp-schema-registry, also from docker.io with a digest', () => {
    const image = `docker.io/confluentinc/cp-schema-registry:7.6.1@sha256:${'a'.repeat(64)}`;
    const findings = judge(pod({ containers: [container({ image })] }), ctx({ services: [registry] }));
    expect(ofRule(findings, 'env-service-link-prefix').map((f) => f.message)).toEqual([expect.stringContaining('"SCHEMA_REGISTRY_PORT=tcp://')]);
  });

  test('uses the real cluster IP when the Service has one', () => {
    const findings = judge(pod({ containers: [cpKafka()] }), ctx({ services: [{ ...kafka, clusterIP: '10.0.0.11' }] }));
    expect(ofRule(findings, 'env-service-link-prefix')[0].message).toContain('"KAFKA_PORT=tcp://10.0.0.11:9092"');
  });

  const quiet: ReadonlyArray<{
    why: string;
    links?: boolean;
    podNs?: string;
    svcNs?: string;
    clusterIP?: string;
    svcName?: string;
    image?: string;
    env?: ContainerJson['env'];
  }> = [
    { why: 'links are off', links: false },
    { why: 'the Service is in another namespace', podNs: 'team-a', svcNs: 'team-b' },
    { why: 'the Service is headless', clusterIP: 'None' },
    { why: 'the Service injects only variables the image accepts (kafka-headless)', svcName: 'kafka-headless' },
    { why: 'the container sets KAFKA_PORT itself (not a service link)', env: [{ name: 'KAFKA_PORT', value: '9092' }] },
    {
      why: 'the image is not one known to map the prefix, even with KAFKA_* settings',
      image: 'ghcr.io/acme/consumer:1.0.0',
      env: [{ name: 'KAFKA_BROKERS', value: 'kafka:9092' }],
    },
  ];
  test.each(quiet.map((q) => [q.why, q] as const))('is not reported when %s', (_why, q) => {
    const svc: ServiceFacts = { ...kafka, name: q.svcName ?? 'kafka', namespace: q.svcNs, clusterIP: q.clusterIP };
    const c = container({ name: 'kafka', image: q.image ?? 'confluentinc/cp-kafka:7.6.1', env: q.env ?? [] });
    const findings = judge(pod({ enableServiceLinks: q.links, containers: [c] }, q.podNs), ctx({ services: [svc] }));
    expect(ofRule(findings, 'env-service-link-prefix')).toEqual([]);
  });

  test('is not checked when the Services are unknown', () => {
    expect(ofRule(judge(pod({ containers: [cpKafka()] })), 'env-service-link-prefix')).toEqual([]);
  });

  test("absent enableServiceLinks means links on, and a Service without namespace is in the pod's namespace", () => {
    const findings = judge(pod({ containers: [cpKafka()] }, 'prod'), ctx({ services: [kafka] }));
    expect(ofRule(findings, 'env-service-link-prefix')[0].message).toMatch(/set enableServiceLinks: false explicitly \(absent means true\)/);
  });
});

describe('env-service-link-collision', () => {
  test('a container variable named like an injected one is a warning with the injected value', () => {
    const findings = judge(
      pod({ enableServiceLinks: true, containers: [container({ env: [{ name: 'KAFKA_PORT', value: '9092' }] })] }),
      ctx({ services: [kafka] }),
    );
    const [f] = ofRule(findings, 'env-service-link-collision');
    expect(f.severity).toBe(Severity.WARNING);
    expect(f.field).toBe('spec.containers[0].env[0].name');
    expect(f.message).toContain(`"KAFKA_PORT=tcp://${DEFAULTS.unallocatedClusterIP}:9092"`);
    expect(f.message).toContain('Service "kafka" (chart/kafka)');
  });

  test('default/kubernetes is never reported, even for pods in "default" (its variables come with links off too)', () => {
    const master: ServiceFacts = { name: 'kubernetes', namespace: 'default', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443 }] };
    const env = [
      { name: 'KUBERNETES_NAMESPACE', value: 'x' },
      { name: 'KUBERNETES_SERVICE_HOST', value: 'proxy' },
    ];
    expect(judge(pod({ containers: [container({ env })] }, 'default'), ctx({ services: [master] }))).toEqual([]);
  });

  test('the default/kubernetes master variables are not reported for pods outside "default"', () => {
    const findings = judge(
      pod({ containers: [container({ env: [{ name: 'KUBERNETES_SERVICE_HOST', value: 'proxy' }] })] }, 'prod'),
      ctx({ services: [] }),
    );
    expect(findings).toEqual([]);
  });
});

describe('env-service-links-too-large', () => {
  const many = (n: number): ServiceFacts[] =>
    Array.from({ length: n }, (_, i) => ({
      name: `service-number-${i}`,
      clusterIP: `10.1.${i >> 8}.${i & 255}`,
      ports: [{ name: 'http', port: 8080 }],
    }));

  test('warns with the size when the namespace injects more than DEFAULTS.serviceEnvWarnBytes', () => {
    const [f] = ofRule(judge(pod({ containers: [container({})] }, 'prod'), ctx({ services: many(200) })), 'env-service-links-too-large');
    expect(f.severity).toBe(Severity.WARNING);
    expect(f.field).toBe('spec.enableServiceLinks');
    const bytes = Number(/\((\d+) bytes/.exec(f.message)![1]);
    expect(bytes).toBeGreaterThan(DEFAULTS.serviceEnvWarnBytes);
    expect(f.message).toContain('201 Services in namespace "prod"');
  });

  test('is quiet below the budget and when links are off', () => {
    expect(judge(pod({ containers: [container({})] }), ctx({ services: many(10) }))).toEqual([]);
    expect(judge(pod({ enableServiceLinks: false, containers: [container({})] }), ctx({ services: many(200) }))).toEqual([]);
  });

  test('the namespace map is computed once per context: 10× the Services next to 1 000 pods costs far less than 10×', () => {
    const pods = Array.from({ length: 1000 }, (_, i) =>
      pod(
        {
          containers: [
            container({
              env: [
                { name: `APP_${i}`, value: '$(SERVICE_NUMBER_1_SERVICE_HOST)' },
                { name: 'SERVICE_NUMBER_7_X', value: 'y' },
              ],
            }),
          ],
        },
        'prod',
      ),
    );
    // CPU time of judging every pod in one context (the best of three, so a collection or a neighbour does not count)
    const cpuMs = (services: number): number => {
      const c = ctx({ services: many(services) });
      let warnings = 0;
      const ms = bestCpuMs(() => {
        warnings = 0;
        for (const p of pods) warnings += judge(p, c).filter((f) => f.rule === 'env-service-links-too-large').length;
      }, 3);
      expect(warnings).toBe(services > 100 ? pods.length : 0);
      return ms;
    };
    cpuMs(50); // warm up
    const few = cpuMs(50);
    const more = cpuMs(500);
    // computed per pod, the map would make the cost grow with pods × Services: about 10× here
    expect(more).toBeLessThan(5 * Math.max(few, 1));
  });
});

describe('env-unresolved-reference', () => {
  test('a reference to a later env entry is reported with where it is defined', () => {
    const findings = judge(
      pod({
        containers: [
          container({
            env: [
              { name: 'A', value: '$(B)' },
              { name: 'B', value: 'b' },
            ],
          }),
        ],
      }),
    );
    const [f] = ofRule(findings, 'env-unresolved-reference');
    expect(f.field).toBe('spec.containers[0].env[0].value');
    expect(f.message).toContain('"$(B)", which is defined only later, at env[1]');
  });

  test('earlier entries, envFrom prefixes, known service links and the master variables resolve', () => {
    const findings = judge(
      pod({
        containers: [
          container({
            envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
            env: [
              { name: 'B', value: 'b' },
              { name: 'A', value: '$(B) $(CFG_X) $(KAFKA_SERVICE_HOST) $(KUBERNETES_SERVICE_HOST) $$(LITERAL)' },
            ],
            command: ['run', '$(A)', '$(KAFKA_PORT_9092_TCP_ADDR)'],
          }),
        ],
      }),
      ctx({ services: [kafka] }),
    );
    expect(ofRule(findings, 'env-unresolved-reference')).toEqual([]);
  });

  test('service-link names do not resolve when links are off, except the master variables', () => {
    const findings = judge(
      pod({ enableServiceLinks: false, containers: [container({ args: ['$(KAFKA_SERVICE_HOST)', '$(KUBERNETES_SERVICE_PORT_HTTPS)'] })] }),
      ctx({ services: [kafka] }),
    );
    expect(ofRule(findings, 'env-unresolved-reference').map((f) => f.field)).toEqual(['spec.containers[0].args[0]']);
  });

  test('with unknown Services and links on, names shaped like service links are assumed to resolve', () => {
    const findings = judge(pod({ containers: [container({ args: ['$(DB_SERVICE_HOST)', '$(DB_PORT_5432_TCP)', '$(DB_URL)'] })] }));
    expect(ofRule(findings, 'env-unresolved-reference').map((f) => f.message)).toEqual([expect.stringContaining('"$(DB_URL)"')]);
  });

  test('an envFrom without prefix could define anything, so nothing is reported', () => {
    const findings = judge(pod({ containers: [container({ envFrom: [{ secretRef: { name: 's' } }], env: [{ name: 'A', value: '$(ANY)' }] })] }));
    expect(findings).toEqual([]);
  });

  test('command and args see the whole env, including entries defined after use', () => {
    const findings = judge(pod({ containers: [container({ command: ['$(LATE)'], env: [{ name: 'LATE', value: 'x' }] })] }));
    expect(findings).toEqual([]);
  });
});

describe('env-name-invalid', () => {
  const cases = envNames.names.filter((n) => n.name !== '');
  test.each(cases.map((n) => [n.name, n] as const))('name %p follows the strict rule on 1.27 and the relaxed one on 1.32', (_name, n) => {
    const subject = pod({ containers: [container({ env: [{ name: n.name, value: 'v' }] })] });
    for (const [version, valid, errors] of [
      [KubernetesVersion.V1_27, n.valid_strict, n.strict_errors],
      [KubernetesVersion.V1_31, n.valid_strict, n.strict_errors],
      [KubernetesVersion.V1_32, n.valid_relaxed, n.relaxed_errors],
    ] as const) {
      const found = ofRule(judge(subject, ctx({ kubernetesVersion: version })), 'env-name-invalid');
      expect(found.length === 0).toBe(valid);
      if (!valid) expect(found[0].message).toContain(`: ${errors[0]}`);
    }
  });

  test('the empty name is "Required value" in every version', () => {
    const subject = pod({ containers: [container({ env: [{ name: '', value: 'v' }] })] });
    for (const v of [KubernetesVersion.V1_27, KubernetesVersion.V1_34]) {
      expect(ofRule(judge(subject, ctx({ kubernetesVersion: v })), 'env-name-invalid')[0].message).toContain('Required value');
    }
  });

  test('an envFrom prefix is checked with the same rule, and the message says when 1.32 would accept it', () => {
    const [f] = ofRule(judge(pod({ containers: [container({ envFrom: [{ configMapRef: { name: 'c' }, prefix: '1_' }] })] })), 'env-name-invalid');
    expect(f.field).toBe('spec.containers[0].envFrom[0].prefix');
    expect(f.message).toMatch(/Kubernetes 1\.32\+ accepts it/);
  });
});

describe('env-duplicate-name', () => {
  test('a name set twice is an error on the second entry', () => {
    const findings = judge(pod({ containers: [container({ env: [{ name: 'A', value: '1' }, { name: 'B' }, { name: 'A', value: '2' }] })] }));
    expect(ofRule(findings, 'env-duplicate-name').map((f) => [f.field, f.severity])).toEqual([['spec.containers[0].env[2].name', Severity.ERROR]]);
  });

  test('the same name in two containers is fine', () => {
    const env = [{ name: 'A', value: '1' }];
    expect(judge(pod({ containers: [container({ env }), container({ name: 'side', env })] }))).toEqual([]);
  });
});

describe('env-value-from-conflict', () => {
  test('value together with valueFrom is an error', () => {
    const findings = judge(
      pod({ containers: [container({ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })] }),
    );
    const [f] = ofRule(findings, 'env-value-from-conflict');
    expect(f.field).toBe('spec.containers[0].env[0].valueFrom');
    expect(f.message).toMatch(/valueFrom may not be specified when value is not empty/);
  });

  test('an empty value with valueFrom is fine; valueFrom with two sources is not', () => {
    const ok = judge(pod({ containers: [container({ env: [{ name: 'A', value: '', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] })] }));
    expect(ok).toEqual([]);
    const two = { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } };
    expect(ofRule(judge(pod({ containers: [container({ env: [{ name: 'A', valueFrom: two }] })] })), 'env-value-from-conflict')).toHaveLength(1);
  });
});

describe('env-field-ref-unsupported', () => {
  const withPath = (fieldPath: string, apiVersion?: string): PodSubject =>
    pod({ containers: [container({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath, apiVersion } } }] })] });

  test.each(envNames.fieldRefs.map((r) => [r.fieldPath, r] as const))('fieldRef %p is judged as the vectors say for 1.27 and 1.30+', (_p, r) => {
    expect(ofRule(judge(withPath(r.fieldPath)), 'env-field-ref-unsupported').length === 0).toBe(r.validAsEnv_1_27);
    const newer = judge(withPath(r.fieldPath), ctx({ kubernetesVersion: KubernetesVersion.V1_30 }));
    expect(ofRule(newer, 'env-field-ref-unsupported').length === 0).toBe(r.validAsEnv_1_30_plus);
  });

  test('status.hostIPs is refused before 1.29 with the version that supports it, and accepted from 1.29', () => {
    const [f] = ofRule(judge(withPath('status.hostIPs'), ctx({ kubernetesVersion: KubernetesVersion.V1_28 })), 'env-field-ref-unsupported');
    expect(f.severity).toBe(Severity.ERROR);
    expect(f.field).toBe('spec.containers[0].env[0].valueFrom.fieldRef.fieldPath');
    expect(f.message).toMatch(/"status\.hostIPs", which needs Kubernetes 1\.29 or newer, but the target is 1\.28/);
    expect(judge(withPath('status.hostIPs'), ctx({ kubernetesVersion: KubernetesVersion.V1_29 }))).toEqual([]);
  });

  test('a bad label key, an unsupported apiVersion and a bad resource divisor are reported', () => {
    expect(ofRule(judge(withPath("metadata.labels['-bad']")), 'env-field-ref-unsupported')).toHaveLength(1);
    expect(ofRule(judge(withPath("metadata.annotations['Example.COM/Owner']")), 'env-field-ref-unsupported')).toHaveLength(0);
    expect(ofRule(judge(withPath('metadata.name', 'v2')), 'env-field-ref-unsupported')[0].message).toMatch(/only "v1"/);
    const res = pod({
      containers: [container({ env: [{ name: 'C', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1Mi' } } }] })],
    });
    expect(ofRule(judge(res), 'env-field-ref-unsupported')[0].message).toMatch(/divisor "1Mi" is not supported for limits\.cpu/);
  });

  // validateContainerResourceDivisor compares divisor.String(), the canonical form the API server decoded
  const divided = (resource: string, divisor: string | number): PodSubject =>
    pod({ containers: [container({ env: [{ name: 'D', valueFrom: { resourceFieldRef: { resource, divisor } } }] } as Partial<ContainerJson>)] });

  test.each([
    ['limits.cpu', '1000m'],
    ['requests.cpu', '0.001k'],
    ['limits.cpu', ' 1 '],
    ['limits.cpu', 1],
    ['limits.memory', '1024Ki'],
    ['limits.memory', '1000k'],
    ['requests.ephemeral-storage', '1048576Ki'],
    ['limits.hugepages-2Mi', '1024Mi'],
    ['limits.memory', '0Mi'],
    ['limits.cpu', '-0'],
  ] as const)('%s with divisor %p is accepted: its canonical form is an accepted divisor (or zero, unset)', (resource, divisor) => {
    expect(ofRule(judge(divided(resource, divisor)), 'env-field-ref-unsupported')).toEqual([]);
  });

  test.each([
    ['limits.cpu', '10m', /divisor "10m" is not supported for limits\.cpu/],
    ['limits.cpu', '1k', /divisor "1k" is not supported/],
    ['limits.memory', '1m', /divisor "1m" is not supported/],
    ['limits.memory', '1024', /divisor "1024" is not supported/],
    ['limits.memory', '2Ki', /divisor "2Ki" is not supported/],
    ['limits.memory', '0.5', /divisor "0\.5" \("500m"\) is not supported/],
    ['limits.cpu', 'one', /divisor "one" is not a quantity/],
  ] as const)('%s with divisor %p is refused, with the canonical form when it differs', (resource, divisor, message) => {
    const [f] = ofRule(judge(divided(resource, divisor)), 'env-field-ref-unsupported');
    expect(f.message).toMatch(message);
  });

  test("an annotation key is lower-cased as Go's strings.ToLower does: İ is i there, so the key is valid", () => {
    // JavaScript's toLowerCase gives "i̇" (i + U+0307), which is not a qualified name; the API server accepts the key
    expect(ofRule(judge(withPath("metadata.annotations['\u0130d']")), 'env-field-ref-unsupported')).toEqual([]);
    expect(ofRule(judge(withPath("metadata.annotations['\u212aey']")), 'env-field-ref-unsupported')).toEqual([]);
    // labels are not lower-cased, and other non-ASCII letters stay invalid
    expect(ofRule(judge(withPath("metadata.labels['\u0130d']")), 'env-field-ref-unsupported')).toHaveLength(1);
    expect(ofRule(judge(withPath("metadata.annotations['\u00c9d']")), 'env-field-ref-unsupported')).toHaveLength(1);
  });
});

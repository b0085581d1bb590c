import * as fc from 'fast-check';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { LifecycleHook } from '../../src/hooks/hook';
import { planPodHooks } from '../../src/hooks/plan';
import { KubernetesVersion } from '../../src/k8s/version';
import { RULES } from '../../src/rules/catalogue';
import { judgeSubject } from '../../src/rules/judge';
import { LIFECYCLE_RULES } from '../../src/rules/lifecycle';
import type { ContainerJson, PodSpecJson } from '../../src/k8s/shapes';
import type { Finding, JudgeContext, PodSubject } from '../../src/rules/types';
import { podSubject } from '../support/subjects';

import { Severity } from '../../src/rules/types';

function subject(podSpec: PodSpecJson, annotations: Record<string, string> = {}): PodSubject {
  return podSubject(podSpec, { kind: 'Deployment', annotations });
}

function ctx(version: KubernetesVersion = KubernetesVersion.V1_27): JudgeContext {
  return { kubernetesVersion: version, requireDigest: false };
}

function main(lifecycle: ContainerJson['lifecycle'], extra: Partial<ContainerJson> = {}): ContainerJson {
  return { name: 'main', image: 'nginx:1.27.3', lifecycle, ...extra };
}

function judge(s: PodSubject, version?: KubernetesVersion): Finding[] {
  return judgeSubject(s, ctx(version), LIFECYCLE_RULES);
}

function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule);
}

describe('LIFECYCLE_RULES', () => {
  test('are in the catalogue with unique kebab-case ids', () => {
    for (const r of LIFECYCLE_RULES) {
      expect(RULES).toContain(r);
      expect(r.id).toMatch(/^lifecycle-[a-z0-9-]+$/);
    }
    expect(new Set(LIFECYCLE_RULES.map((r) => r.id)).size).toBe(LIFECYCLE_RULES.length);
  });

  test('pass a pod without hooks and a pod with bounded hooks', () => {
    expect(judge(subject({ containers: [{ name: 'main', image: 'nginx:1.27.3' }] }))).toEqual([]);
    const bounded = main({
      postStart: { exec: { command: ['timeout', '-s', 'KILL', '5', '/warm'] } },
      preStop: { exec: { command: ['sleep', '5'] } },
    });
    expect(judge(subject({ containers: [bounded] }))).toEqual([]);
  });

  test('messages are one sentence without a trailing period and start with the container', () => {
    const s = subject(
      {
        containers: [main({ postStart: { httpGet: { port: 80, host: 'evil.example' } }, preStop: { tcpSocket: { port: 80 } } })],
        initContainers: [{ name: 'init', lifecycle: { preStop: { exec: { command: ['true'] } } } }],
      },
      { [HOOK_BUDGETS_ANNOTATION]: '{"ghost":{"preStop":3}}' },
    );
    const findings = judge(s);
    expect(findings.length).toBeGreaterThanOrEqual(4);
    for (const f of findings) {
      expect(f.message).not.toMatch(/\.$/);
      expect(f.message).not.toMatch(/\n/);
      if (f.container !== undefined) expect(f.message).toMatch(/^(init |ephemeral )?container "/);
    }
  });

  describe('lifecycle-not-allowed', () => {
    test('refuses hooks on a plain init container', () => {
      const f = judge(
        subject({ containers: [main(undefined)], initContainers: [{ name: 'setup', lifecycle: { postStart: { exec: { command: ['true'] } } } }] }),
      );
      expect(ids(f)).toEqual(['lifecycle-not-allowed']);
      expect(f[0]).toMatchObject({ field: 'spec.template.spec.initContainers[0].lifecycle', container: 'setup', severity: Severity.ERROR });
      expect(f[0].message).toMatch(/^init container "setup": lifecycle is set, but the API server refuses hooks on init containers/);
    });

    test('accepts hooks on a sidecar from 1.29 and refuses them before', () => {
      const sidecar = { name: 'proxy', restartPolicy: 'Always', lifecycle: { preStop: { exec: { command: ['sleep', '3'] } } } };
      const s = subject({ containers: [main(undefined)], initContainers: [sidecar] });
      expect(judge(s, KubernetesVersion.V1_29)).toEqual([]);
      const old = judge(s, KubernetesVersion.V1_28);
      expect(ids(old)).toEqual(['lifecycle-not-allowed']);
      expect(old[0].message).toMatch(/native sidecars are on by default from 1\.29/);
    });

    test('refuses hooks on an ephemeral container', () => {
      const f = judge(
        subject({ containers: [main(undefined)], ephemeralContainers: [{ name: 'debug', lifecycle: { preStop: { exec: { command: ['true'] } } } }] }),
      );
      expect(ids(f)).toEqual(['lifecycle-not-allowed']);
      expect(f[0].message).toBe('ephemeral container "debug": lifecycle cannot be set on an ephemeral container; remove lifecycle');
    });
  });

  describe('lifecycle-handler-invalid', () => {
    test('reports what the API server rejects, at the full field path', () => {
      const f = judge(subject({ containers: [main({ preStop: { httpGet: { port: 'HTTP', scheme: 'https' } } })] }));
      expect(ids(f)).toEqual(['lifecycle-handler-invalid', 'lifecycle-handler-invalid', 'lifecycle-handler-invalid']);
      expect(f.map((x) => x.field)).toEqual([
        'spec.template.spec.containers[0].lifecycle.preStop.httpGet.port',
        'spec.template.spec.containers[0].lifecycle.preStop.httpGet.port',
        'spec.template.spec.containers[0].lifecycle.preStop.httpGet.scheme',
      ]);
      expect(f[2].message).toBe(
        'container "main": lifecycle.preStop.httpGet.scheme is rejected by the Kubernetes 1.27 API server (Unsupported value: supported values: "HTTP", "HTTPS"); change the value as the API server says',
      );
    });

    test('reports a hook with no handler', () => {
      const f = judge(subject({ containers: [main({ preStop: {} })] }));
      expect(f.map((x) => x.message)).toContain(
        'container "main": lifecycle.preStop is rejected by the Kubernetes 1.27 API server (Required value: must specify a handler type); give the hook exactly one of exec, httpGet or sleep',
      );
    });

    test('judges sleep seconds against the grace period on 1.30+', () => {
      const s = subject({ terminationGracePeriodSeconds: 60, containers: [main({ preStop: { sleep: { seconds: 0 } } })] });
      expect(ids(judge(s, KubernetesVersion.V1_31))).toEqual(['lifecycle-handler-invalid']);
      expect(judge(s, KubernetesVersion.V1_33)).toEqual([]);
    });
  });

  describe('lifecycle-sleep-unsupported', () => {
    test.each([KubernetesVersion.V1_27, KubernetesVersion.V1_29])(
      'refuses the native sleep on %s with one finding that offers an exec sleep',
      (v) => {
        const f = judge(subject({ containers: [main({ preStop: { sleep: { seconds: 5 } } })] }), v);
        expect(ids(f)).toEqual(['lifecycle-sleep-unsupported']);
        expect(f[0].field).toBe('spec.template.spec.containers[0].lifecycle.preStop.sleep');
        expect(f[0].message).toMatch(/^container "main": preStop uses the native sleep action \{"seconds":5\}, which Kubernetes 1\.2\d does not run/);
        expect(f[0].message).toMatch(/exec \["sleep","5"\].*not distroless\) or target Kubernetes 1\.30 or newer$/);
      },
    );

    test('accepts the native sleep on 1.30', () => {
      expect(judge(subject({ containers: [main({ preStop: { sleep: { seconds: 5 } } })] }), KubernetesVersion.V1_30)).toEqual([]);
    });
  });

  test('lifecycle-tcp-socket refuses a tcpSocket hook and says a postStart failure kills the container', () => {
    const f = judge(subject({ containers: [main({ postStart: { tcpSocket: { port: 80 } } })] }));
    expect(ids(f)).toEqual(['lifecycle-tcp-socket']);
    expect(f[0].message).toMatch(/the kubelet never runs \(the hook fails with "invalid handler" and the container is killed\)/);
  });

  test('lifecycle-host-set warns before 1.34 and fails from 1.34', () => {
    const s = subject({ containers: [main({ preStop: { httpGet: { port: 80, path: '/q', host: '10.0.0.1' } } })] });
    expect(judge(s).map((f) => [f.rule, f.severity])).toEqual([['lifecycle-host-set', Severity.WARNING]]);
    expect(judge(s, KubernetesVersion.V1_34).map((f) => [f.rule, f.severity])).toEqual([['lifecycle-host-set', Severity.ERROR]]);
  });

  describe('lifecycle-prestop-exceeds-grace', () => {
    test('fails with the numbers, noting the 30 s default when the field is absent', () => {
      const f = judge(subject({ containers: [main({ preStop: { exec: { command: ['sleep', '25'] } } })] }));
      expect(ids(f)).toEqual(['lifecycle-prestop-exceeds-grace']);
      expect(f[0]).toMatchObject({ field: 'spec.template.spec.terminationGracePeriodSeconds', container: 'main' });
      expect(f[0].message).toBe(
        'container "main": preStop budget 25 s + shutdown reserve 10 s = 35 s does not fit in the 30 s Kubernetes applies when terminationGracePeriodSeconds is absent, ' +
          'so a hook that uses its budget leaves the app 5 s after SIGTERM; set terminationGracePeriodSeconds to at least 35 or shorten the preStop hook',
      );
    });

    test('reads the budget from a timeout wrapper, sleep seconds or the annotation, and the reserve from the annotation', () => {
      const tooShort = { terminationGracePeriodSeconds: 20 };
      expect(ids(judge(subject({ ...tooShort, containers: [main({ preStop: { exec: { command: ['timeout', '15', '/drain'] } } })] })))).toEqual([
        'lifecycle-prestop-exceeds-grace',
      ]);
      expect(ids(judge(subject({ ...tooShort, containers: [main({ preStop: { sleep: { seconds: 15 } } })] }), KubernetesVersion.V1_30))).toEqual([
        'lifecycle-prestop-exceeds-grace',
      ]);
      const http = { ...tooShort, containers: [main({ preStop: { httpGet: { port: 80, path: '/q' } } })] };
      expect(judge(subject(http))).toEqual([]); // default budget 10 + reserve 10 = 20
      expect(ids(judge(subject(http, { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"preStop":12}}' })))).toEqual(['lifecycle-prestop-exceeds-grace']);
      expect(judge(subject(http, { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"preStop":12,"shutdownReserve":8}}' }))).toEqual([]);
    });

    test('before 1.30 judges the handler that runs, not the dropped sleep', () => {
      const s = subject({ containers: [main({ preStop: { sleep: { seconds: 40 }, exec: { command: ['sleep', '25'] } } })] });
      expect(ids(judge(s, KubernetesVersion.V1_27))).toEqual(['lifecycle-sleep-unsupported', 'lifecycle-prestop-exceeds-grace']);
      expect(judge(s, KubernetesVersion.V1_27)[1].message).toMatch(/preStop budget 25 s/);
    });

    test('fails a zero grace period, with which the kubelet skips preStop', () => {
      const f = judge(subject({ terminationGracePeriodSeconds: 0, containers: [main({ preStop: { httpGet: { port: 80, path: '/q' } } })] }));
      expect(f[0].message).toMatch(/with 0 the kubelet skips preStop hooks altogether/);
    });
  });

  describe('lifecycle-exec-unbounded', () => {
    test('warns about an exec hook without a bound, proposing the timeout wrapper', () => {
      const f = judge(subject({ containers: [main({ postStart: { exec: { command: ['/warm'] } } })] }));
      expect(f.map((x) => [x.rule, x.severity])).toEqual([['lifecycle-exec-unbounded', Severity.WARNING]]);
      expect(f[0].message).toMatch(/wrap it as \["timeout","-s","KILL","10","\/warm"\] \(the image needs timeout from coreutils or busybox\)/);
    });

    test('accepts a declared budget as the bound', () => {
      expect(
        judge(
          subject({ containers: [main({ postStart: { exec: { command: ['/warm'] } } })] }, { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"postStart":5}}' }),
        ),
      ).toEqual([]);
    });
  });

  test('lifecycle-poststart-unbounded warns about a postStart httpGet without a declared budget', () => {
    const spec = { containers: [main({ postStart: { httpGet: { port: 8080, path: '/warm' } } })] };
    expect(ids(judge(subject(spec)))).toEqual(['lifecycle-poststart-unbounded']);
    expect(judge(subject(spec, { [HOOK_BUDGETS_ANNOTATION]: '{"main":{"postStart":20}}' }))).toEqual([]);
  });

  test('lifecycle-budget-annotation-invalid reports unreadable values and unknown containers', () => {
    const spec = { containers: [main(undefined)] };
    expect(judge(subject(spec, { [HOOK_BUDGETS_ANNOTATION]: 'nope' })).map((f) => [f.rule, f.field])).toEqual([
      ['lifecycle-budget-annotation-invalid', 'metadata.annotations["safe-pods.cdk8s.io/hook-budgets"]'],
    ]);
    expect(judge(subject(spec, { [HOOK_BUDGETS_ANNOTATION]: '{"mian":{"preStop":5}}' }))[0].message).toMatch(
      /container "mian", which the pod does not have/,
    );
  });

  test('a suppression with a reason silences a lifecycle finding for one container', () => {
    const s = subject(
      { containers: [main({ postStart: { exec: { command: ['/warm'] } } })] },
      {
        'safe-pods.cdk8s.io/suppress.lifecycle-exec-unbounded.main': 'the warm-up binary exits on its own after 3 s',
      },
    );
    expect(judge(s)).toEqual([]);
  });

  test('everything planPodHooks writes passes the lifecycle rules of its target (property)', () => {
    const version = fc.constantFrom(KubernetesVersion.V1_27, KubernetesVersion.V1_30, KubernetesVersion.V1_33, KubernetesVersion.V1_34);
    const budget = fc.integer({ min: 1, max: 300 });
    const hook = fc.oneof(
      budget.map((b) => LifecycleHook.exec(['/app/hook'], { budgetSeconds: b })),
      budget.map((b) => LifecycleHook.execSleep(b)),
      budget.map((b) => LifecycleHook.httpGet('/hook', { port: 'http', budgetSeconds: b })),
    );
    fc.assert(
      fc.property(
        version,
        fc.option(hook, { nil: undefined }),
        fc.option(hook, { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
        (v, postStart, preStop, reserve) => {
          const plan = planPodHooks([{ name: 'main', hooks: { postStart, preStop }, shutdownReserveSeconds: reserve }]);
          const s = subject(
            { terminationGracePeriodSeconds: plan.gracePeriod.seconds, containers: [main(plan.lifecycles.get('main'))] },
            { ...plan.annotations },
          );
          expect(judgeSubject(s, ctx(v), LIFECYCLE_RULES)).toEqual([]);
        },
      ),
    );
  });
});

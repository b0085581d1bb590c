import { DEFAULTS } from '../../src/defaults';
import { ManifestError } from '../../src/k8s/errors';
import type { LifecycleHooks } from '../../src/hooks/hook';
import { ExecTimeout, HttpScheme, LifecycleHook, LifecycleHookKind, hookBudgetsOf, renderLifecycle } from '../../src/hooks/hook';
import { planPodHooks } from '../../src/hooks/plan';
import { HookPosition } from '../../src/hooks/types';
import { validateLifecycle } from '../../src/hooks/validate';
import { KubernetesVersion } from '../../src/k8s/version';
import { judgeSubject } from '../../src/rules/judge';
import { LIFECYCLE_RULES } from '../../src/rules/lifecycle';
import type { Finding } from '../../src/rules/types';
import { Origin } from '../../src/rules/types';
import { podSubject } from '../support/subjects';

const V127 = KubernetesVersion.V1_27;
const V130 = KubernetesVersion.V1_30;

describe('LifecycleHook factories', () => {
  test.each([
    ['an empty exec command', () => LifecycleHook.exec([]), /empty command/],
    ['port 0', () => LifecycleHook.httpGet('/quit', { port: 0 }), /port 0 is invalid \(must be between 1 and 65535, inclusive\)/],
    ['port 65536', () => LifecycleHook.httpGet('/quit', { port: 65536 }), /must be between 1 and 65535/],
    ['a numeric port name', () => LifecycleHook.httpGet('/quit', { port: '8080' }), /must contain at least one letter/],
    ['a 16-character port name', () => LifecycleHook.httpGet('/quit', { port: 'metrics-endpoint' }), /must be no more than 15 characters/],
    ['a lower-case scheme', () => LifecycleHook.httpGet('/quit', { port: 80, scheme: 'https' as HttpScheme }), /scheme "https" is not supported/],
    [
      'a header name with an underscore',
      () => LifecycleHook.httpGet('/quit', { port: 80, headers: { X_Token: 'a' } }),
      /header name "X_Token" is invalid/,
    ],
    ['a negative sleep', () => LifecycleHook.sleep(-1), /non-negative whole number/],
    ['a fractional sleep', () => LifecycleHook.sleep(1.5), /non-negative whole number/],
    ['a zero budget (timeout 0 disables the timeout)', () => LifecycleHook.exec(['/drain'], { budgetSeconds: 0 }), /at least 1/],
    ['an empty timeout command', () => ExecTimeout.command([]), /is empty/],
  ])('rejects %s with a ManifestError', (_name, make, message) => {
    expect(make).toThrow(ManifestError);
    expect(make).toThrow(message);
  });

  test('accepts what the API server accepts: port 65535, a 15-character port name, HTTPS, header names with "-"', () => {
    expect(LifecycleHook.httpGet('/q', { port: 65535 }).kind).toBe(LifecycleHookKind.HTTP_GET);
    expect(LifecycleHook.httpGet('/q', { port: 'metrics-endpoin', scheme: HttpScheme.HTTPS, headers: { 'X-Drain': '1' } }).kind).toBe(
      LifecycleHookKind.HTTP_GET,
    );
    expect(LifecycleHook.sleep(0).kind).toBe(LifecycleHookKind.SLEEP);
  });

  test('type guards work without instanceof', () => {
    expect(LifecycleHook.isLifecycleHook(LifecycleHook.sleep(1))).toBe(true);
    expect(LifecycleHook.isLifecycleHook({ kind: 'sleep' })).toBe(false);
    expect(ExecTimeout.isExecTimeout(ExecTimeout.unbounded())).toBe(true);
  });
});

/** The judge's lifecycle findings for one container with `hooks`, rendered and planned as the constructs do it. */
function judgeHooks(hooks: LifecycleHooks, version: KubernetesVersion, origin: Origin = Origin.MANIFEST): Finding[] {
  const plan = planPodHooks([{ name: 'main', hooks }]);
  const subject = podSubject(
    {
      terminationGracePeriodSeconds: plan.gracePeriod.seconds,
      containers: [{ name: 'main', image: 'app:1.0.0', lifecycle: plan.lifecycles.get('main') }],
    },
    { annotations: { ...plan.annotations } },
  );
  return judgeSubject(subject, { kubernetesVersion: version, requireDigest: false, origin }, LIFECYCLE_RULES);
}

describe('renderLifecycle', () => {
  test('wraps an exec hook in timeout -s KILL with the declared budget', () => {
    const json = renderLifecycle({ preStop: LifecycleHook.exec(['/app/drain', '--fast'], { budgetSeconds: 15 }) });
    expect(json).toEqual({ preStop: { exec: { command: ['timeout', '-s', 'KILL', '15', '/app/drain', '--fast'] } } });
  });

  test('uses the default budgets from DEFAULTS for each position', () => {
    const json = renderLifecycle({ postStart: LifecycleHook.exec(['/warm']), preStop: LifecycleHook.exec(['/drain']) });
    expect(json?.postStart?.exec?.command?.slice(0, 4)).toEqual(['timeout', '-s', 'KILL', String(DEFAULTS.postStartBudgetSeconds)]);
    expect(json?.preStop?.exec?.command?.slice(0, 4)).toEqual(['timeout', '-s', 'KILL', String(DEFAULTS.preStopBudgetSeconds)]);
  });

  test('uses a named timeout binary, or leaves an unbounded command as written', () => {
    const busybox = LifecycleHook.exec(['/drain'], { budgetSeconds: 5, timeout: ExecTimeout.command(['/bin/busybox', 'timeout']) });
    expect(renderLifecycle({ preStop: busybox })?.preStop?.exec?.command).toEqual(['/bin/busybox', 'timeout', '-s', 'KILL', '5', '/drain']);
    const raw = LifecycleHook.exec(['/drain'], { budgetSeconds: 5, timeout: ExecTimeout.unbounded() });
    expect(renderLifecycle({ preStop: raw })?.preStop?.exec?.command).toEqual(['/drain']);
    expect(raw.bounded).toBe(false);
  });

  test('renders an exec sleep as a plain sleep command whose budget is its seconds', () => {
    const hook = LifecycleHook.execSleep(5);
    expect(renderLifecycle({ preStop: hook })).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(hook.budgetSeconds(HookPosition.PRE_STOP)).toBe(5);
    expect(hook.bounded).toBe(true);
  });

  test('renders the native sleep JSON for every target: what a target cannot run is for the judge to say', () => {
    expect(renderLifecycle({ preStop: LifecycleHook.sleep(5) })).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(renderLifecycle({ preStop: LifecycleHook.sleep(0) })).toEqual({ preStop: { sleep: { seconds: 0 } } });
  });

  test.each([V127, KubernetesVersion.V1_28, KubernetesVersion.V1_29])(
    'the judge refuses the rendered native sleep on %s and offers an exec sleep or a newer target',
    (v) => {
      const findings = judgeHooks({ preStop: LifecycleHook.sleep(5) }, v);
      expect(findings.map((f) => f.rule)).toEqual(['lifecycle-sleep-unsupported']);
      expect(findings[0].message).toMatch(/LifecycleHook\.execSleep\(5\).*not distroless\) or target Kubernetes 1\.30 or newer/);
    },
  );

  test('the judge refuses a rendered zero sleep on 1.30-1.32 and accepts it from 1.33', () => {
    expect(judgeHooks({ preStop: LifecycleHook.sleep(0) }, KubernetesVersion.V1_32).map((f) => f.rule)).toEqual(['lifecycle-handler-invalid']);
    expect(judgeHooks({ preStop: LifecycleHook.sleep(0) }, KubernetesVersion.V1_33)).toEqual([]);
  });

  test('renders httpGet with defaults, named ports and headers', () => {
    const json = renderLifecycle({ preStop: LifecycleHook.httpGet('', { port: 'admin', headers: { 'X-Drain': 'now' } }) });
    expect(json).toEqual({ preStop: { httpGet: { path: '/', port: 'admin', scheme: 'HTTP', httpHeaders: [{ name: 'X-Drain', value: 'now' }] } } });
  });

  test('a postStart httpGet without a declared budget renders, and the judge refuses it for constructs (warns for manifests)', () => {
    const unbounded = { postStart: LifecycleHook.httpGet('/warm', { port: 8080 }) };
    expect(renderLifecycle(unbounded)).toEqual({ postStart: { httpGet: { path: '/warm', port: 8080, scheme: 'HTTP' } } });
    expect(judgeHooks(unbounded, V127, Origin.CONSTRUCT).map((f) => [f.rule, f.severity])).toEqual([['lifecycle-poststart-unbounded', 'error']]);
    expect(judgeHooks(unbounded, V127).map((f) => [f.rule, f.severity])).toEqual([['lifecycle-poststart-unbounded', 'warning']]);
    const hook = LifecycleHook.httpGet('/warm', { port: 8080, budgetSeconds: 20 });
    expect(renderLifecycle({ postStart: hook })).toEqual({ postStart: { httpGet: { path: '/warm', port: 8080, scheme: 'HTTP' } } });
    expect(hookBudgetsOf({ postStart: hook })).toEqual({ postStart: 20 });
  });

  test('a preStop httpGet counts with the default preStop budget', () => {
    expect(hookBudgetsOf({ preStop: LifecycleHook.httpGet('/quit', { port: 80 }) })).toEqual({ preStop: DEFAULTS.preStopBudgetSeconds });
  });

  test('returns undefined without hooks', () => {
    expect(renderLifecycle({})).toBeUndefined();
  });

  test('everything it renders passes the API-server validation of its target', () => {
    const hooks = {
      postStart: LifecycleHook.exec(['sh', '-c', 'touch /ready'], { budgetSeconds: 3 }),
      preStop: LifecycleHook.httpGet('/quit', { port: 'admin', scheme: HttpScheme.HTTPS, headers: { 'X-A': 'b' } }),
    };
    for (const v of [V127, V130, KubernetesVersion.V1_34]) expect(validateLifecycle(renderLifecycle(hooks), { version: v })).toEqual([]);
    expect(validateLifecycle(renderLifecycle({ preStop: LifecycleHook.sleep(30) }), { version: V130 })).toEqual([]);
  });
});

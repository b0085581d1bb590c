import * as fc from 'fast-check';
import { DEFAULTS } from '../../src/defaults';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { exceedsGrace, planTerminationGracePeriod } from '../../src/hooks/grace';
import { LifecycleHook } from '../../src/hooks/hook';
import { planPodHooks } from '../../src/hooks/plan';
import { KubernetesVersion } from '../../src/k8s/version';
import { judgeSubject } from '../../src/rules/judge';
import { LIFECYCLE_RULES } from '../../src/rules/lifecycle';
import { podSubject } from '../support/subjects';

/** The lifecycle-prestop-exceeds-grace messages for one container whose preStop hook sleeps `budget` seconds (exec sleep). */
function graceFindings(budget: number, reserve: number, grace: number | undefined): string[] {
  const annotations = { [HOOK_BUDGETS_ANNOTATION]: JSON.stringify({ web: { shutdownReserve: reserve } }) };
  const spec = {
    ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
    containers: [{ name: 'web', image: 'app:1.0.0', lifecycle: { preStop: { exec: { command: ['sleep', String(budget)] } } } }],
  };
  return judgeSubject(podSubject(spec, { annotations }), { kubernetesVersion: KubernetesVersion.V1_27, requireDigest: false }, LIFECYCLE_RULES)
    .filter((f) => f.rule === 'lifecycle-prestop-exceeds-grace')
    .map((f) => f.message);
}

describe('planTerminationGracePeriod', () => {
  test('the defaults leave the Kubernetes default of 30 s unchanged', () => {
    expect(DEFAULTS.preStopBudgetSeconds + DEFAULTS.shutdownReserveSeconds).toBeLessThanOrEqual(DEFAULTS.kubernetesTerminationGracePeriodSeconds);
    expect(planTerminationGracePeriod({ preStopBudgets: [{ container: 'web', seconds: DEFAULTS.preStopBudgetSeconds }] })).toEqual({
      seconds: 30,
      derived: true,
      requiredSeconds: DEFAULTS.preStopBudgetSeconds + DEFAULTS.shutdownReserveSeconds,
      container: 'web',
    });
  });

  test('derives 30 s for a pod without preStop hooks', () => {
    expect(planTerminationGracePeriod({ preStopBudgets: [] })).toEqual({ seconds: 30, derived: true, requiredSeconds: 0 });
  });

  test('derives the largest budget plus reserve over the containers when it exceeds 30 s', () => {
    const plan = planTerminationGracePeriod({
      preStopBudgets: [
        { container: 'web', seconds: 25 },
        { container: 'proxy', seconds: 40, shutdownReserveSeconds: 5 },
      ],
    });
    expect(plan).toEqual({ seconds: 45, derived: true, requiredSeconds: 45, container: 'proxy' });
  });

  test('keeps the author value as it is, fitting or not (the judge says whether it fits)', () => {
    expect(
      planTerminationGracePeriod({
        preStopBudgets: [{ container: 'web', seconds: 5, shutdownReserveSeconds: 5 }],
        terminationGracePeriodSeconds: 10,
      }),
    ).toEqual({
      seconds: 10,
      derived: false,
      requiredSeconds: 10,
      container: 'web',
    });
    expect(planTerminationGracePeriod({ preStopBudgets: [{ container: 'web', seconds: 15 }], terminationGracePeriodSeconds: 20 }).seconds).toBe(20);
  });

  test('a derived grace period always fits every hook and is never below 30 s (property)', () => {
    const budget = fc.record({
      container: fc.constantFrom('a', 'b', 'c'),
      seconds: fc.integer({ min: 0, max: 600 }),
      shutdownReserveSeconds: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(budget, { maxLength: 5 }), (preStopBudgets) => {
        const plan = planTerminationGracePeriod({ preStopBudgets });
        expect(plan.seconds).toBeGreaterThanOrEqual(30);
        for (const b of preStopBudgets) {
          const required = b.seconds + (b.shutdownReserveSeconds ?? DEFAULTS.shutdownReserveSeconds);
          expect(plan.seconds).toBeGreaterThanOrEqual(required);
          expect(exceedsGrace(required, plan.seconds)).toBe(plan.seconds === 0);
        }
      }),
    );
  });
});

describe('exceedsGrace and lifecycle-prestop-exceeds-grace: the boundary', () => {
  test('a hook that needs exactly the grace period fits; one second more does not', () => {
    expect(exceedsGrace(25, 25)).toBe(false);
    expect(exceedsGrace(26, 25)).toBe(true);
    expect(exceedsGrace(24, 25)).toBe(false);
    // absent means the 30 s Kubernetes applies
    expect(exceedsGrace(30, undefined)).toBe(false);
    expect(exceedsGrace(31, undefined)).toBe(true);
    // with 0 the kubelet skips preStop hooks altogether, so any hook is reported
    expect(exceedsGrace(0, 0)).toBe(true);
  });

  test('the rule fires one second past the boundary and not at it', () => {
    expect(graceFindings(15, 10, 25)).toEqual([]);
    expect(graceFindings(15, 10, 24)).toHaveLength(1);
    expect(graceFindings(20, 10, undefined)).toEqual([]);
    expect(graceFindings(21, 10, undefined)).toHaveLength(1);
  });

  test('says what the app is left with, with the numbers', () => {
    expect(graceFindings(15, 10, 20)).toEqual([
      'container "web": preStop budget 15 s + shutdown reserve 10 s = 25 s does not fit in terminationGracePeriodSeconds 20, ' +
        'so a hook that uses its budget leaves the app 5 s after SIGTERM; set terminationGracePeriodSeconds to at least 25 or shorten the preStop hook',
    ]);
    expect(graceFindings(40, 10, 30)[0]).toMatch(
      /cuts the hook off at 30 s and leaves the app 2 s after SIGTERM; set terminationGracePeriodSeconds to at least 50/,
    );
    expect(graceFindings(1, 0, 0)[0]).toMatch(/with 0 the kubelet skips preStop hooks altogether/);
  });
});

describe('planPodHooks', () => {
  test('renders lifecycles, records budgets in the annotation and derives the grace period', () => {
    const plan = planPodHooks([
      { name: 'web', hooks: { preStop: LifecycleHook.httpGet('/quit', { port: 'http', budgetSeconds: 25 }) }, shutdownReserveSeconds: 15 },
      { name: 'proxy', hooks: { postStart: LifecycleHook.exec(['/warm']) } },
      { name: 'idle', hooks: {} },
    ]);
    expect([...plan.lifecycles.keys()]).toEqual(['web', 'proxy']);
    expect(plan.annotations).toEqual({ [HOOK_BUDGETS_ANNOTATION]: '{"proxy":{"postStart":10},"web":{"preStop":25,"shutdownReserve":15}}' });
    expect(plan.gracePeriod).toEqual({ seconds: 40, derived: true, requiredSeconds: 40, container: 'web' });
  });

  test('records a shutdown reserve that differs from the default even without hooks', () => {
    expect(planPodHooks([{ name: 'web', hooks: {}, shutdownReserveSeconds: 20 }]).annotations).toEqual({
      [HOOK_BUDGETS_ANNOTATION]: '{"web":{"shutdownReserve":20}}',
    });
  });

  test('writes no annotation for a pod without hooks', () => {
    expect(planPodHooks([{ name: 'web', hooks: {} }]).annotations).toEqual({});
  });
});

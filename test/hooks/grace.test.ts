import * as fc from 'fast-check';
import { DEFAULTS } from '../../src/defaults';
import { ManifestError } from '../../src/k8s/errors';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { planTerminationGracePeriod } from '../../src/hooks/grace';
import { LifecycleHook } from '../../src/hooks/hook';
import { planPodHooks } from '../../src/hooks/plan';
import { KubernetesVersion } from '../../src/k8s/version';

describe('planTerminationGracePeriod', () => {
  test('the defaults leave the Kubernetes default of 30 s unchanged', () => {
    expect(DEFAULTS.preStopBudgetSeconds + DEFAULTS.shutdownReserveSeconds).toBeLessThanOrEqual(DEFAULTS.kubernetesTerminationGracePeriodSeconds);
    expect(planTerminationGracePeriod({ preStopBudgets: [{ container: 'web', seconds: DEFAULTS.preStopBudgetSeconds }] })).toEqual({
      ok: true,
      seconds: 30,
      derived: true,
      requiredSeconds: DEFAULTS.preStopBudgetSeconds + DEFAULTS.shutdownReserveSeconds,
    });
  });

  test('derives 30 s for a pod without preStop hooks', () => {
    expect(planTerminationGracePeriod({ preStopBudgets: [] })).toEqual({ ok: true, seconds: 30, derived: true, requiredSeconds: 0 });
  });

  test('derives the largest budget plus reserve over the containers when it exceeds 30 s', () => {
    const plan = planTerminationGracePeriod({
      preStopBudgets: [
        { container: 'web', seconds: 25 },
        { container: 'proxy', seconds: 40, shutdownReserveSeconds: 5 },
      ],
    });
    expect(plan).toEqual({ ok: true, seconds: 45, derived: true, requiredSeconds: 45 });
  });

  test('keeps an author value that fits, even below 30 s', () => {
    expect(
      planTerminationGracePeriod({
        preStopBudgets: [{ container: 'web', seconds: 5, shutdownReserveSeconds: 5 }],
        terminationGracePeriodSeconds: 10,
      }),
    ).toEqual({
      ok: true,
      seconds: 10,
      derived: false,
      requiredSeconds: 10,
    });
  });

  test('refuses an author value that is too short, with the numbers', () => {
    const plan = planTerminationGracePeriod({ preStopBudgets: [{ container: 'web', seconds: 15 }], terminationGracePeriodSeconds: 20 });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.container).toBe('web');
    expect(plan.requiredSeconds).toBe(25);
    expect(plan.message).toBe(
      'container "web": preStop budget 15 s + shutdown reserve 10 s = 25 s does not fit in terminationGracePeriodSeconds 20, ' +
        'so a hook that uses its budget leaves the app 5 s after SIGTERM; set terminationGracePeriodSeconds to at least 25 or shorten the preStop hook',
    );
  });

  test('explains that a hook longer than the grace period is cut off and leaves 2 s', () => {
    const plan = planTerminationGracePeriod({ preStopBudgets: [{ container: 'web', seconds: 40 }], terminationGracePeriodSeconds: 30 });
    expect(!plan.ok && plan.message).toMatch(
      /cuts the hook off at 30 s and leaves the app 2 s after SIGTERM; set terminationGracePeriodSeconds to at least 50/,
    );
  });

  test('refuses a zero grace period with a preStop hook, which the kubelet would skip', () => {
    const plan = planTerminationGracePeriod({
      preStopBudgets: [{ container: 'web', seconds: 1, shutdownReserveSeconds: 0 }],
      terminationGracePeriodSeconds: 0,
    });
    expect(!plan.ok && plan.message).toMatch(/with 0 the kubelet skips PreStop hooks altogether/);
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
        expect(plan.ok).toBe(true);
        if (!plan.ok) return;
        expect(plan.seconds).toBeGreaterThanOrEqual(30);
        for (const b of preStopBudgets)
          expect(plan.seconds).toBeGreaterThanOrEqual(b.seconds + (b.shutdownReserveSeconds ?? DEFAULTS.shutdownReserveSeconds));
        // and feeding it back as the author's value is accepted
        expect(planTerminationGracePeriod({ preStopBudgets, terminationGracePeriodSeconds: plan.seconds }).ok).toBe(true);
      }),
    );
  });
});

describe('planPodHooks', () => {
  test('renders lifecycles, records budgets in the annotation and derives the grace period', () => {
    const plan = planPodHooks(
      [
        { name: 'web', hooks: { preStop: LifecycleHook.httpGet('/quit', { port: 'http', budgetSeconds: 25 }) }, shutdownReserveSeconds: 15 },
        { name: 'proxy', hooks: { postStart: LifecycleHook.exec(['/warm']) } },
        { name: 'idle', hooks: {} },
      ],
      { version: KubernetesVersion.V1_27 },
    );
    expect([...plan.lifecycles.keys()]).toEqual(['web', 'proxy']);
    expect(plan.annotations).toEqual({ [HOOK_BUDGETS_ANNOTATION]: '{"proxy":{"postStart":10},"web":{"preStop":25,"shutdownReserve":15}}' });
    expect(plan.gracePeriod).toEqual({ ok: true, seconds: 40, derived: true, requiredSeconds: 40 });
  });

  test('returns a too-short author grace period as a plan error', () => {
    const plan = planPodHooks([{ name: 'web', hooks: { preStop: LifecycleHook.sleep(25) } }], {
      version: KubernetesVersion.V1_30,
      terminationGracePeriodSeconds: 30,
    });
    expect(plan.gracePeriod.ok).toBe(false);
  });

  test('names the container when a hook cannot be rendered for the target', () => {
    const plan = (): unknown => planPodHooks([{ name: 'web', hooks: { preStop: LifecycleHook.sleep(5) } }], { version: KubernetesVersion.V1_27 });
    expect(plan).toThrow(ManifestError);
    expect(plan).toThrow(/^container "web": preStop uses the native sleep action/);
  });

  test('writes no annotation for a pod without hooks', () => {
    expect(planPodHooks([{ name: 'web', hooks: {} }], { version: KubernetesVersion.V1_27 }).annotations).toEqual({});
  });
});

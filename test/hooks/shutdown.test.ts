import fc from 'fast-check';
import { DEFAULTS } from '../../src/defaults';
import { explainPod } from '../../src/explain';
import { MarkKind, SpanKind } from '../../src/explain';
import { HOOK_BUDGETS_ANNOTATION } from '../../src/hooks/budget';
import { planPodShutdown, rolloutTerminations } from '../../src/hooks/shutdown';

describe('planPodShutdown', () => {
  test('SIGTERM after the preStop budget, the app takes its reserve, SIGKILL at the end of the grace period', () => {
    const plan = planPodShutdown({
      terminationGracePeriodSeconds: 45,
      containers: [{ name: 'app', preStopSeconds: 10, shutdownReserveSeconds: 20 }],
    });
    expect(plan).toEqual({
      gracePeriodSeconds: 45,
      containers: [
        {
          container: 'app',
          preStopBudgetSeconds: 10,
          shutdownReserveSeconds: 20,
          sigtermAtSeconds: 10,
          sigkillAtSeconds: 45,
          stopSeconds: 30,
          cut: false,
        },
      ],
      podStopSeconds: 30,
      slowestContainer: 'app',
    });
  });

  test('without a grace period written, Kubernetes counts 30 s; without a reserve, the library default', () => {
    const [c] = planPodShutdown({ containers: [{ name: 'app' }] }).containers;
    expect(c).toMatchObject({ sigtermAtSeconds: 0, sigkillAtSeconds: DEFAULTS.kubernetesTerminationGracePeriodSeconds });
    expect(c.stopSeconds).toEqual(DEFAULTS.shutdownReserveSeconds);
  });

  test('a hook longer than the grace period is cut at the deadline, and the kubelet still gives 2 s before SIGKILL', () => {
    const [c] = planPodShutdown({
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'app', preStopSeconds: 40, shutdownReserveSeconds: 10 }],
    }).containers;
    expect(c).toMatchObject({ sigtermAtSeconds: 30, sigkillAtSeconds: 32, stopSeconds: 32, cut: true });
  });

  test('a reserve that does not fit after the hook is cut by SIGKILL (the boundary is exact)', () => {
    const fits = planPodShutdown({ terminationGracePeriodSeconds: 30, containers: [{ name: 'a', preStopSeconds: 20, shutdownReserveSeconds: 10 }] });
    expect(fits.containers[0]).toMatchObject({ stopSeconds: 30, cut: false });
    const over = planPodShutdown({ terminationGracePeriodSeconds: 30, containers: [{ name: 'a', preStopSeconds: 21, shutdownReserveSeconds: 10 }] });
    expect(over.containers[0]).toMatchObject({ sigkillAtSeconds: 30, stopSeconds: 30, cut: true });
  });

  test('with a grace period of 0 the hook does not run and SIGKILL follows 2 s after SIGTERM', () => {
    const [c] = planPodShutdown({
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'a', preStopSeconds: 5, shutdownReserveSeconds: 1 }],
    }).containers;
    expect(c).toMatchObject({ sigtermAtSeconds: 0, sigkillAtSeconds: 2, stopSeconds: 1, cut: false });
  });

  test('the pod stops when its slowest container has stopped (containers stop in parallel)', () => {
    const plan = planPodShutdown({
      containers: [
        { name: 'a', preStopSeconds: 5 },
        { name: 'b', preStopSeconds: 12, shutdownReserveSeconds: 3 },
        { name: 'c', shutdownReserveSeconds: 16 },
      ],
    });
    expect(plan.podStopSeconds).toEqual(16);
    expect(plan.slowestContainer).toEqual('c');
    expect(planPodShutdown({ containers: [] })).toEqual({ gracePeriodSeconds: 30, containers: [], podStopSeconds: 0 });
  });

  test('agrees with the stop timeline of `explain` (SIGTERM, SIGKILL, end of the app shutdown) over generated pods', () => {
    const containerArb = fc.record({
      preStop: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
      reserve: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(containerArb, { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        (cs, grace) => {
          const names = cs.map((_, i) => `c${i}`);
          const budgets = Object.fromEntries(cs.flatMap((c, i) => (c.reserve !== undefined ? [[names[i], { shutdownReserve: c.reserve }]] : [])));
          const pod = {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: 'p',
              ...(Object.keys(budgets).length > 0 ? { annotations: { [HOOK_BUDGETS_ANNOTATION]: JSON.stringify(budgets) } } : {}),
            },
            spec: {
              ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
              containers: cs.map((c, i) => ({
                name: names[i],
                image: 'nginx:1.27.3',
                ...(c.preStop !== undefined
                  ? { lifecycle: { preStop: { exec: { command: ['timeout', '-s', 'KILL', String(c.preStop), '/drain'] } } } }
                  : {}),
              })),
            },
          };
          const plan = planPodShutdown({
            terminationGracePeriodSeconds: grace,
            containers: cs.map((c, i) => ({ name: names[i], preStopSeconds: c.preStop, shutdownReserveSeconds: c.reserve })),
          });
          const lanes = explainPod(pod).timeline.stop.lanes;
          expect(plan.gracePeriodSeconds).toEqual(grace ?? 30);
          for (const c of plan.containers) {
            const lane = lanes.find((l) => l.container === c.container)!;
            expect(lane.marks.find((m) => m.kind === MarkKind.SIGTERM)!.atSeconds).toEqual(c.sigtermAtSeconds);
            expect(lane.marks.find((m) => m.kind === MarkKind.SIGKILL)!.atSeconds).toEqual(c.sigkillAtSeconds);
            const shutdown = lane.spans.find((s) => s.kind === SpanKind.SHUTDOWN);
            if (shutdown) expect(shutdown.endSeconds).toEqual(c.stopSeconds);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rolloutTerminations', () => {
  test('a StatefulSet rolling update waits for each pod above the partition, one after another', () => {
    expect(rolloutTerminations('StatefulSet', { replicas: 4 }, 25)).toMatchObject({
      strategy: 'RollingUpdate',
      sequentialTerminations: 4,
      terminationWaitSeconds: 100,
    });
    expect(rolloutTerminations('StatefulSet', { replicas: 4, partition: 1 }, 25)).toMatchObject({
      sequentialTerminations: 3,
      terminationWaitSeconds: 75,
    });
    expect(rolloutTerminations('StatefulSet', { replicas: 2, partition: 5 }, 25)).toMatchObject({ sequentialTerminations: 0 });
    expect(rolloutTerminations('StatefulSet', {}, 25)).toBeUndefined();
    expect(rolloutTerminations('StatefulSet', { replicas: 4, strategy: 'OnDelete' }, 25)).toMatchObject({ sequentialTerminations: 0 });
  });

  test('a Deployment waits once with Recreate, and not at all in a rolling update', () => {
    expect(rolloutTerminations('Deployment', { replicas: 3, strategy: 'Recreate' }, 40)).toMatchObject({
      sequentialTerminations: 1,
      terminationWaitSeconds: 40,
    });
    expect(rolloutTerminations('Deployment', { replicas: 3 }, 40)).toMatchObject({ sequentialTerminations: 0, terminationWaitSeconds: 0 });
  });

  test('no rollout figure for the other kinds', () => {
    for (const kind of ['Pod', 'DaemonSet', 'Job', 'CronJob']) expect(rolloutTerminations(kind, { replicas: 3 }, 40)).toBeUndefined();
  });
});

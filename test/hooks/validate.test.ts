import * as fs from 'fs';
import * as path from 'path';
import { KubernetesVersion } from '../../src/k8s/version';
import type { FieldError, LifecycleJson } from '../../src/hooks/types';
import { FieldErrorType } from '../../src/hooks/types';
import { SleepSupport, decodeLifecycle, sleepSupport, validateLifecycle } from '../../src/hooks/validate';

interface VectorBand {
  readonly valid: boolean;
  readonly errors?: readonly FieldError[];
}

interface VectorCase {
  readonly id: string;
  readonly description: string;
  readonly containerKind: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly terminationGracePeriodSeconds: number;
  readonly lifecycle: LifecycleJson;
  readonly expected: Readonly<Record<'k8s_1_27' | 'k8s_1_30_to_1_32' | 'k8s_1_33_plus', VectorBand>>;
}

const vectors: { cases: VectorCase[] } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'vectors', 'lifecycle.json'), 'utf8'));

/** Every target version of each band of the vectors. */
const BANDS = {
  k8s_1_27: [KubernetesVersion.V1_27, KubernetesVersion.V1_28],
  k8s_1_30_to_1_32: [KubernetesVersion.V1_30, KubernetesVersion.V1_31, KubernetesVersion.V1_32],
  k8s_1_33_plus: [KubernetesVersion.V1_33, KubernetesVersion.V1_34],
} as const;

const table = vectors.cases.flatMap((c) =>
  (Object.keys(BANDS) as Array<keyof typeof BANDS>).flatMap((band) => BANDS[band].map((version) => ({ c, band, version }))),
);

describe('validateLifecycle', () => {
  test('the vector file has cases for every band', () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(28);
    for (const c of vectors.cases) expect(Object.keys(c.expected).sort()).toEqual(Object.keys(BANDS).sort());
  });

  test.each(table.map((t) => [t.c.id, t.version.toString(), t] as const))('vector %s on Kubernetes %s matches the API server', (_id, _v, t) => {
    const errors = validateLifecycle(t.c.lifecycle, {
      version: t.version,
      containerKind: t.c.containerKind,
      terminationGracePeriodSeconds: t.c.terminationGracePeriodSeconds,
    });
    const expected = t.c.expected[t.band];
    expect(errors.length === 0).toBe(expected.valid);
    const want = expected.errors ?? [];
    expect(errors.map((e) => [e.type, e.field])).toEqual(want.map((e) => [e.type, e.field]));
    // details may carry version-specific suffixes (regex, examples, feature-gate hint): compare by prefix
    errors.forEach((e, i) => expect(e.detail.startsWith(want[i].detail)).toBe(true));
  });

  test('a 1.29 API server drops a sleep-only hook instead of rejecting it', () => {
    const lifecycle = { preStop: { sleep: { seconds: 5 } } };
    expect(sleepSupport(KubernetesVersion.V1_29)).toBe(SleepSupport.GATED_OFF);
    expect(decodeLifecycle(lifecycle, KubernetesVersion.V1_29)).toBeUndefined();
    expect(validateLifecycle(lifecycle, { version: KubernetesVersion.V1_29 })).toEqual([]);
  });

  test('a 1.29 API server keeps the other handler of a hook that also had sleep', () => {
    const lifecycle = { preStop: { sleep: { seconds: 5 }, exec: { command: ['true'] } } };
    expect(decodeLifecycle(lifecycle, KubernetesVersion.V1_29)).toEqual({ preStop: { exec: { command: ['true'] } } });
  });

  test('the 1.32 sleep message carries the AllowZero feature-gate hint', () => {
    const [e] = validateLifecycle({ preStop: { sleep: { seconds: 0 } } }, { version: KubernetesVersion.V1_32 });
    expect(e.detail).toBe(
      'must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
    );
  });

  test('an absent grace period is validated as the Kubernetes default of 30 seconds', () => {
    expect(validateLifecycle({ preStop: { sleep: { seconds: 31 } } }, { version: KubernetesVersion.V1_33 })).toEqual([
      {
        type: FieldErrorType.INVALID,
        field: 'spec.containers[0].lifecycle.preStop.sleep',
        detail: 'must be non-negative and less than terminationGracePeriodSeconds (30)',
      },
    ]);
  });

  test('httpGet path and scheme are defaulted before validation', () => {
    expect(validateLifecycle({ postStart: { httpGet: { port: 80, path: '', scheme: '' } } }, { version: KubernetesVersion.V1_27 })).toEqual([]);
  });

  test('an underscore in a header name is rejected', () => {
    const errs = validateLifecycle(
      { postStart: { httpGet: { port: 80, httpHeaders: [{ name: 'X_Token', value: 'v' }] } } },
      { version: KubernetesVersion.V1_27 },
    );
    expect(errs.map((e) => e.field)).toEqual(['spec.containers[0].lifecycle.postStart.httpGet.httpHeaders']);
  });

  describe('init containers', () => {
    const lifecycle = { preStop: { exec: { command: ['true'] } } };

    test('1.27 refuses hooks on every init container', () => {
      expect(validateLifecycle(lifecycle, { version: KubernetesVersion.V1_27, containerKind: 'initContainers', restartPolicy: 'Always' })).toEqual([
        { type: FieldErrorType.FORBIDDEN, field: 'spec.initContainers[0].lifecycle', detail: 'may not be set for init containers' },
      ]);
    });

    test('1.28 refuses hooks on sidecars because SidecarContainers is off by default', () => {
      const errs = validateLifecycle(lifecycle, { version: KubernetesVersion.V1_28, containerKind: 'initContainers', restartPolicy: 'Always' });
      expect(errs.map((e) => e.detail)).toEqual(['may not be set for init containers without restartPolicy=Always']);
    });

    test('1.29+ accepts hooks on sidecars and validates them', () => {
      expect(validateLifecycle(lifecycle, { version: KubernetesVersion.V1_29, containerKind: 'initContainers', restartPolicy: 'Always' })).toEqual(
        [],
      );
      const errs = validateLifecycle(
        { preStop: { exec: { command: [] } } },
        {
          version: KubernetesVersion.V1_30,
          containerKind: 'initContainers',
          restartPolicy: 'Always',
          containerPath: 'spec.template.spec.initContainers[2]',
        },
      );
      expect(errs).toEqual([
        { type: FieldErrorType.REQUIRED, field: 'spec.template.spec.initContainers[2].lifecycle.preStop.exec.command', detail: '' },
      ]);
    });

    test('1.29+ refuses hooks on plain init containers', () => {
      const errs = validateLifecycle(lifecycle, { version: KubernetesVersion.V1_34, containerKind: 'initContainers' });
      expect(errs.map((e) => [e.type, e.detail])).toEqual([
        [FieldErrorType.FORBIDDEN, 'may not be set for init containers without restartPolicy=Always'],
      ]);
    });
  });
});

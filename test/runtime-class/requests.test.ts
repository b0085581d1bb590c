import { effectiveRequestStrings } from '../../src/runtime-class/requests';
import type { RuntimeClassFacts } from '../../src/k8s/shapes';

const kata: RuntimeClassFacts = { name: 'kata-qemu', handler: 'kata-qemu', podFixedOverhead: { cpu: '250m', memory: '160Mi' } };

describe('effectiveRequests', () => {
  test('adds the RuntimeClass overhead to the sum of the containers', () => {
    const spec = {
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'b', resources: { requests: { cpu: '0.5', memory: '64Mi' } } },
      ],
      runtimeClassName: 'kata-qemu',
    };
    expect(effectiveRequestStrings(spec, kata)).toEqual({ cpu: '850m', memory: '288Mi' });
    expect(effectiveRequestStrings(spec)).toEqual({ cpu: '600m', memory: '128Mi' });
  });

  test('takes the largest init container when it exceeds the containers, as PodRequests does', () => {
    const spec = {
      initContainers: [{ name: 'migrate', resources: { requests: { cpu: '2' } } }],
      containers: [{ name: 'app', resources: { requests: { cpu: '500m', memory: '1Gi' } } }],
    };
    expect(effectiveRequestStrings(spec, kata)).toEqual({ cpu: '2250m', memory: '1184Mi' });
  });

  test('counts sidecars (restartPolicy Always) for the whole pod life and during later init containers', () => {
    const spec = {
      initContainers: [
        { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
        { name: 'init', resources: { requests: { cpu: '1' } } },
      ],
      containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }],
    };
    // init phase: 1 + 100m sidecar = 1100m; run phase: 200m + 100m = 300m
    expect(effectiveRequestStrings(spec)).toEqual({ cpu: '1100m' });
  });

  test('uses limits as requests where requests are missing, as defaulting does', () => {
    const spec = { containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { memory: '512Mi' } } }] };
    expect(effectiveRequestStrings(spec)).toEqual({ memory: '512Mi', cpu: '1' });
  });

  test("uses the pod's own overhead when no class is given", () => {
    expect(effectiveRequestStrings({ containers: [{ name: 'a' }], overhead: { cpu: '10m' } })).toEqual({ cpu: '10m' });
  });
});

import { admitPod, AdmissionRejectionKind, resourceListsEqual } from '../../src/runtime-class/admission';
import type { RuntimeClassFacts } from '../../src/k8s/shapes';

const kata: RuntimeClassFacts = {
  name: 'kata',
  handler: 'kata',
  podFixedOverhead: { cpu: '250m', memory: '120Mi' },
  nodeSelector: { runtime: 'kata' },
  tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }],
};

describe('admitPod', () => {
  test('rejects a pod whose RuntimeClass does not exist, with the upstream message', () => {
    const r = admitPod({ runtimeClassName: 'kata' }, undefined);
    expect(r).toEqual({
      admitted: false,
      rejection: {
        kind: AdmissionRejectionKind.RUNTIME_CLASS_NOT_FOUND,
        message: 'pod rejected: RuntimeClass "kata" not found',
        field: 'runtimeClassName',
      },
    });
  });

  test('rejects a node selector conflict with the upstream message', () => {
    const r = admitPod({ runtimeClassName: 'kata', nodeSelector: { runtime: 'runc' } }, kata);
    expect(r.rejection?.kind).toBe(AdmissionRejectionKind.NODE_SELECTOR_CONFLICT);
    expect(r.rejection?.message).toBe('conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; pod.spec.nodeSelector[runtime] = runc');
    expect(r.rejection?.key).toBe('runtime');
  });

  test('accepts a pod overhead equal to the class overhead written differently (semantic equality)', () => {
    const r = admitPod({ runtimeClassName: 'kata', overhead: { cpu: '0.25', memory: '125829120' } }, kata);
    expect(r.admitted).toBe(true);
    expect(r.podSpec?.overhead).toEqual({ cpu: '250m', memory: '120Mi' });
  });

  test('rejects a different pod overhead', () => {
    const r = admitPod({ runtimeClassName: 'kata', overhead: { cpu: '100m' } }, kata);
    expect(r.rejection?.message).toBe("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
  });

  test('merges tolerations without duplicating one the pod already has, and keeps the pod untouched', () => {
    const pod = { runtimeClassName: 'kata', tolerations: [{ key: 'kata', operator: 'Exists' }] };
    const r = admitPod(pod, kata);
    expect(r.podSpec?.tolerations).toEqual([{ key: 'kata', operator: 'Exists' }]);
    expect(pod).toEqual({ runtimeClassName: 'kata', tolerations: [{ key: 'kata', operator: 'Exists' }] });
  });

  test('leaves a pod without runtimeClassName and without overhead unchanged', () => {
    expect(admitPod({ nodeSelector: { a: 'b' } }, kata)).toEqual({ admitted: true, podSpec: { nodeSelector: { a: 'b' } } });
  });
});

describe('resourceListsEqual', () => {
  test('treats an empty list as an absent one and compares quantities by value', () => {
    expect(resourceListsEqual({}, undefined)).toBe(true);
    expect(resourceListsEqual({ cpu: '1' }, { cpu: '1000m' })).toBe(true);
    expect(resourceListsEqual({ cpu: '1' }, { cpu: '1', memory: '1' })).toBe(false);
    expect(resourceListsEqual({ cpu: 'lots' }, { cpu: 'lots' })).toBe(false);
  });
});

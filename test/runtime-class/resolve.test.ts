import { resolveRuntimeClass } from '../../src/runtime-class/resolve';
import type { RuntimeClassFacts } from '../../src/k8s/shapes';

const known: RuntimeClassFacts[] = [
  { name: 'gvisor', handler: 'runsc' },
  { name: 'kata-qemu', handler: 'kata-qemu' },
];

describe('resolveRuntimeClass', () => {
  test('resolves a known name and any IRuntimeClass reference', () => {
    expect(resolveRuntimeClass('gvisor', known)).toEqual({ name: 'gvisor' });
    expect(resolveRuntimeClass({ name: 'cluster-rc', facts: () => ({ name: 'cluster-rc' }) }, known)).toEqual({ name: 'cluster-rc' });
  });

  test('says when the string is the handler of a known class', () => {
    const r = resolveRuntimeClass('runsc', known);
    expect(r.name).toBeUndefined();
    expect(r.error).toMatch(/"runsc" is the handler of RuntimeClass "gvisor"; name the class, "gvisor", not its handler$/);
    expect(r.error).toContain('(known: "gvisor", "kata-qemu")');
  });

  test('lists the known classes for an unknown name and points to fromName', () => {
    expect(resolveRuntimeClass('firecracker', new Map(known.map((k) => [k.name, k]))).error).toBe(
      'runtimeClass "firecracker" names no known RuntimeClass (known: "gvisor", "kata-qemu"), so the API server would reject its Pods ' +
        '(\'pod rejected: RuntimeClass "firecracker" not found\'); define it (new RuntimeClass(...) in cdk8s, or a RuntimeClass manifest), ' +
        'or declare a class the cluster provides (RuntimeClass.fromName("firecracker") in cdk8s, --runtime-class firecracker for the CLI)',
    );
  });

  test('never resolves to an empty name, and rejects names Kubernetes rejects', () => {
    expect(resolveRuntimeClass('', known).error).toMatch(/^runtimeClass "" is not a RuntimeClass name/);
    expect(resolveRuntimeClass('Kata', undefined).error).toMatch(/^runtimeClass "Kata" is not a valid RuntimeClass name .*e\.g\. "kata"$/);
  });

  test('accepts any valid name when the known classes are not given', () => {
    expect(resolveRuntimeClass('anything.example', undefined)).toEqual({ name: 'anything.example' });
  });
});

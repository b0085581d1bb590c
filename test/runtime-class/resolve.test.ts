import { resolveRuntimeClass } from '../../src/runtime-class/resolve';
import type { RuntimeClassFacts } from '../../src/rules/types';

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
    expect(r.error).toMatch(/"runsc" is the handler of RuntimeClass "gvisor"; use runtimeClass: gvisor$/);
    expect(r.error).toContain('(defined: "gvisor", "kata-qemu")');
  });

  test('lists the known classes for an unknown name and points to fromName', () => {
    expect(resolveRuntimeClass('firecracker', new Map(known.map((k) => [k.name, k]))).error).toBe(
      'runtimeClass "firecracker" names no RuntimeClass defined in this app (defined: "gvisor", "kata-qemu"), so the API server would reject its Pods ' +
        "('pod rejected: RuntimeClass \"firecracker\" not found'); define it with new RuntimeClass(...), or declare a class the cluster provides with " +
        'RuntimeClass.fromName("firecracker")',
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

import * as fc from 'fast-check';
import { isTolerationSuperset, mergeTolerations, validateTolerations } from '../../src/k8s/tolerations';
import type { TolerationJson } from '../../src/k8s/tolerations';

/** The named tolerations of upstream `pkg/util/tolerations/tolerations_test.go`. */
const T: Record<string, TolerationJson> = {
  all: { operator: 'Exists' },
  'foo-nosched': { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
  'foo-bar-nosched': { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
  'foo-baz-nosched': { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoSchedule' },
  'faz-baz-nosched': { key: 'faz', operator: 'Equal', value: 'baz', effect: 'NoSchedule' },
  'foo-prefnosched': { key: 'foo', operator: 'Exists', effect: 'PreferNoSchedule' },
  'foo-noexec-10': { key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
  'foo-noexec-20': { key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 },
};
const named = (names: string[]): TolerationJson[] => names.map((n) => T[n]);

describe('mergeTolerations', () => {
  test.each([
    [
      'disjoint',
      ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'],
      ['foo-prefnosched', 'foo-baz-nosched'],
      ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10', 'foo-prefnosched', 'foo-baz-nosched'],
    ],
    [
      'duplicate',
      ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'],
      ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'],
      ['foo-bar-nosched', 'faz-baz-nosched', 'foo-noexec-10'],
    ],
    ['merge redundant', ['foo-bar-nosched', 'foo-baz-nosched'], ['foo-nosched', 'faz-baz-nosched'], ['foo-nosched', 'faz-baz-nosched']],
    ['merge all', ['foo-bar-nosched', 'foo-baz-nosched', 'foo-noexec-10'], ['all'], ['all']],
    ['merge into all', ['all'], ['foo-bar-nosched', 'foo-baz-nosched', 'foo-noexec-10'], ['all']],
    ['a longer NoExecute toleration covers a shorter one', ['foo-noexec-10'], ['foo-noexec-20'], ['foo-noexec-20']],
  ])('%s: keeps only tolerations no other one covers (upstream TestMergeTolerations)', (_name, a, b, expected) => {
    expect(mergeTolerations(named(a), named(b))).toEqual(named(expected));
  });

  test('the merged list tolerates everything either list tolerates, and never grows', () => {
    const tol = fc.record(
      {
        key: fc.constantFrom('', 'foo', 'bar'),
        operator: fc.constantFrom('Exists', 'Equal'),
        value: fc.constantFrom('', 'a'),
        effect: fc.constantFrom('', 'NoSchedule', 'NoExecute'),
        tolerationSeconds: fc.constantFrom(5, 10),
      },
      { requiredKeys: ['operator'] },
    );
    fc.assert(
      fc.property(fc.array(tol, { maxLength: 5 }), fc.array(tol, { maxLength: 5 }), (a, b) => {
        const merged = mergeTolerations(a, b);
        expect(merged.length).toBeLessThanOrEqual(a.length + b.length);
        for (const t of [...a, ...b]) expect(merged.some((m) => isTolerationSuperset(m, t))).toBe(true);
      }),
    );
  });
});

describe('validateTolerations', () => {
  test('accepts the usual tolerations', () => {
    expect(validateTolerations([T['foo-nosched'], T['foo-bar-nosched'], T.all, { key: 'example.com/x', value: 'y' }], 'spec.tolerations')).toEqual(
      [],
    );
  });

  test.each<[string, TolerationJson, string, string]>([
    [
      'an empty key needs Exists',
      { key: '', operator: 'Equal', value: 'x' },
      'spec.tolerations[0].operator',
      'operator must be Exists when `key` is empty',
    ],
    [
      'Exists forbids a value',
      { key: 'k', operator: 'Exists', value: 'v' },
      'spec.tolerations[0].operator',
      "value must be empty when `operator` is 'Exists'",
    ],
    [
      'tolerationSeconds needs NoExecute',
      { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 },
      'spec.tolerations[0].effect',
      "effect must be 'NoExecute'",
    ],
    ['operators are Exists or Equal', { key: 'k', operator: 'In' }, 'spec.tolerations[0].operator', 'supported values: "Equal", "Exists"'],
    [
      'effects are the three taint effects',
      { key: 'k', operator: 'Exists', effect: 'NoExec' },
      'spec.tolerations[0].effect',
      'supported values: "NoSchedule"',
    ],
    ['keys are qualified names', { key: 'not a key', operator: 'Exists' }, 'spec.tolerations[0].key', 'name part must consist of'],
    ['Equal values are label values', { key: 'k', value: 'a b' }, 'spec.tolerations[0].operator', 'a valid label must be'],
  ])('%s', (_name, t, field, detail) => {
    const errs = validateTolerations([t], 'spec.tolerations');
    expect(errs.map((e) => e.field)).toEqual([field]);
    expect(errs[0].detail).toContain(detail);
  });

  test('reports duplicates only when uniqueness is asked for (RuntimeClass scheduling)', () => {
    const dup = [{ ...T['foo-noexec-10'] }, { ...T['foo-noexec-10'], tolerationSeconds: 20 }];
    expect(validateTolerations(dup, 'scheduling.tolerations')).toEqual([]);
    expect(validateTolerations(dup, 'scheduling.tolerations', true).map((e) => [e.type, e.field])).toEqual([
      ['FieldValueDuplicate', 'scheduling.tolerations[1]'],
    ]);
  });
});

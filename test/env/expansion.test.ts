import * as fc from 'fast-check';
import { assembleContainerEnv, expandVariables, unresolvableReferences, variableReferences, VALUE_FROM_PLACEHOLDER } from '../../src/env/expansion';
import vectors from '../fixtures/vectors/expansion.json';
import { SERVICE_ENV_CASES } from '../fixtures/service-env-cases';

describe('expandVariables', () => {
  test.each(vectors.strings.map((c) => [c.input, c.expected]))('expands %p to %p as kubelet does', (input, expected) => {
    expect(expandVariables(input, vectors.context)).toBe(expected);
  });

  test('searches the sources in order, like MappingFuncFor(tmpEnv, serviceEnv)', () => {
    expect(expandVariables('$(A)/$(B)', { A: 'first' }, { A: 'second', B: 'b' })).toBe('first/b');
  });

  test('leaves a reference to a name defined only on the prototype chain literal', () => {
    expect(expandVariables('$(constructor)$(__proto__)', {})).toBe('$(constructor)$(__proto__)');
  });

  test('output equals input for strings without "$"', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('$')),
        (s) => expandVariables(s, vectors.context) === s,
      ),
    );
  });

  test('a single pass: values containing references are not expanded again', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string(), (name, value) => {
        return expandVariables(`$(${name})`, { [name]: value, INNER: 'x' }) === value;
      }),
    );
  });

  test('"$$" escaping round-trips: doubling every "$" yields the input unchanged', () => {
    fc.assert(fc.property(fc.string(), (s) => expandVariables(s.replace(/\$/g, '$$$$'), { A: 'a' }) === s));
  });
});

describe('variableReferences / unresolvableReferences', () => {
  test('lists references as the kubelet reads them, skipping escaped ones', () => {
    expect(variableReferences('$(A) $$(B) $(C)-$(A) $( $D ${E} $()')).toEqual(['A', 'C', ' $D ${E} $(']);
  });

  test('an unterminated "$(" is no reference', () => {
    expect(variableReferences('foo$(VAR_Awhoops!')).toEqual([]);
  });

  test('reports only the references no defined name resolves', () => {
    expect(unresolvableReferences('$(A):$(B):$(C)', new Set(['B']))).toEqual(['A', 'C']);
  });

  test('a string expands to itself exactly when all its references are unresolvable and it has no "$$"', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('$(VAR_A)', '$(NOPE)', 'x', '-', '$X')), (parts) => {
        const s = parts.join('');
        const refs = unresolvableReferences(s, new Set(Object.keys(vectors.context)));
        const allUnresolved = refs.length === variableReferences(s).length;
        return (expandVariables(s, vectors.context) === s) === allUnresolved;
      }),
    );
  });
});

describe('assembleContainerEnv', () => {
  test.each(vectors.envAssembly.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const env = assembleContainerEnv({ envFrom: c.envFrom, env: c.env, serviceEnv: c.serviceEnv });
    expect(env).toEqual(c.expectedEnv);
  });

  test.each(SERVICE_ENV_CASES.filter((c) => c.expectedContainerEnv).map((c) => [c.id, c] as const))(
    'service-env case %s: env > envFrom > service variables',
    (_id, c) => {
      const env = assembleContainerEnv({ envFrom: c.envFrom, env: c.containerEnv, serviceEnv: c.expected });
      expect(env).toEqual(c.expectedContainerEnv);
    },
  );

  test('later envFrom values are overridden by env, and service variables fill in only unset names', () => {
    const env = assembleContainerEnv({ envFrom: { A: 'from', S: 'from' }, env: [{ name: 'A', value: 'env' }], serviceEnv: { S: 'svc', T: 'svc' } });
    expect(env).toEqual({ A: 'env', S: 'from', T: 'svc' });
  });

  test('an empty value is not expanded and valueFrom results are shown as a placeholder', () => {
    const env = assembleContainerEnv({
      env: [
        { name: 'E', value: '' },
        { name: 'F', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    });
    expect(env).toEqual({ E: '', F: VALUE_FROM_PLACEHOLDER });
  });

  test('a variable named "__proto__" is an ordinary entry', () => {
    const env = assembleContainerEnv({ env: [{ name: '__proto__', value: 'x' }] });
    expect(Object.keys(env)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
  });
});

/**
 * The offline evaluator the parity tests rest on: its CEL functions behave as cel-go's do, `admit()` applies the API
 * server's decoding and defaulting, and `evaluate()` follows the validating admission plugin (match constraints, match
 * conditions, UPDATE, message fallback).
 */
import { admissionPolicies } from '../../src/admission/policies';
import { KubernetesVersion } from '../../src/k8s/version';
import { admit, evalCel, evaluate } from './harness';

const V = KubernetesVersion.V1_30;

function pod(spec: Record<string, unknown>, kind = 'Pod'): Record<string, unknown> {
  return { apiVersion: 'v1', kind, metadata: { name: 'p' }, spec };
}

function admitted(obj: Record<string, unknown>): Record<string, unknown> {
  const a = admit(obj, V);
  if (!a.admitted) throw new Error(a.reason);
  return a.object;
}

describe('the CEL functions of the harness', () => {
  test.each([
    ["'😀x'.indexOf('x')", 1n],
    ["'😀x'.substring(1)", 'x'],
    ["'😀x'.charAt(2)", ''],
    ["'a😀b'.lastIndexOf('b')", 2n],
    ["size('a😀'.split(''))", 2n],
    ["'abc'.replace('b', '')", 'ac'],
    ["double('1.')", 1],
    ["double('.5') * 60.0", 30],
    ['false && (1 / 0 == 1)', false],
    ['(1 / 0 == 1) && false', false],
    ['(1 / 0 == 1) || true', true],
  ])('%s is %p, as in cel-go', (expression, value) => {
    expect(evalCel(expression, {})).toEqual(value);
  });

  test.each([["''.indexOf('x')"], ["''.lastIndexOf('x')"], ["'ab'.charAt(3)"], ["'ab'.substring(3)"], ["double('')"], ["double(' 1')"], ['[1][2]']])(
    '%s fails, as in cel-go',
    (expression) => {
      expect(evalCel(expression, {})).toBeInstanceOf(Error);
    },
  );
});

describe('admit', () => {
  test('refuses kinds and versions the cluster does not serve, and objects the API server cannot decode', () => {
    expect(admit({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' }, spec: {} }, V)).toMatchObject({ admitted: false });
    expect(admit({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, V)).toMatchObject({ admitted: false });
    expect(admit(pod({ containers: [{ image: 'nginx:1' }] }), V)).toMatchObject({ admitted: false, reason: expect.stringMatching(/name/) });
    expect(admit(pod({ containers: [{ name: 'a', image: 5 }] }), V)).toMatchObject({ admitted: false });
    // a value outside an enum is left to API validation
    expect(admit(pod({ containers: [{ name: 'a', image: 'nginx:1', imagePullPolicy: 'always' }] }), V)).toMatchObject({ admitted: true });
  });

  test.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['nginx:1.27.3', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    ['registry:5000/app', 'Always'],
    ['nginx:-bad', 'IfNotPresent'],
  ])('defaults the pull policy of %p to %s (SetDefaults_Container)', (image, policy) => {
    const obj = admitted(pod({ containers: [{ name: 'a', image }] }));
    expect((obj.spec as { containers: Array<{ imagePullPolicy: string }> }).containers[0].imagePullPolicy).toBe(policy);
  });

  test('defaults the grace period (templates too), service links (Pods only), httpGet path and scheme, fieldRef apiVersion; canonicalises divisors', () => {
    const container = {
      name: 'a',
      image: 'nginx:1',
      env: [
        { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'C', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1000m' } } },
      ],
      lifecycle: { preStop: { httpGet: { port: 80 } } },
    };
    const p = admitted(pod({ containers: [container] })).spec as Record<string, unknown>;
    expect(p).toMatchObject({ terminationGracePeriodSeconds: 30n, enableServiceLinks: true });
    const c = (p.containers as Array<Record<string, unknown>>)[0];
    expect(c).toMatchObject({
      lifecycle: { preStop: { httpGet: { port: 80n, path: '/', scheme: 'HTTP' } } },
      env: [{ valueFrom: { fieldRef: { apiVersion: 'v1' } } }, { valueFrom: { resourceFieldRef: { divisor: '1' } } }],
    });
    const template = admitted({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { selector: {}, template: { spec: { containers: [container] } } },
    }) as { spec: { template: { spec: Record<string, unknown> } } };
    expect(template.spec.template.spec.terminationGracePeriodSeconds).toBe(30n);
    expect(template.spec.template.spec.enableServiceLinks).toBeUndefined();
  });
});

describe('evaluate', () => {
  const notPinned = admissionPolicies().policies.find((p) => p.metadata.name.startsWith('image-not-pinned.'))!;
  const latest = admitted(pod({ containers: [{ name: 'a', image: 'nginx:latest' }] }));
  const pinned = admitted(pod({ containers: [{ name: 'a', image: 'nginx:1.27.3' }] }));

  test('fails a CREATE that breaks the rule, with the message expression', () => {
    expect(evaluate(notPinned, latest)).toMatchObject({ result: 'fail', message: expect.stringMatching(/^\[image-not-pinned\] container "a"/) });
    expect(evaluate(notPinned, pinned)).toMatchObject({ result: 'pass' });
  });

  test('judges an UPDATE only when the pod spec changes, so old objects can still get labels, finalizers and status', () => {
    const relabelled = { ...latest, metadata: { name: 'p', labels: { a: 'b' } } };
    expect(evaluate(notPinned, relabelled, { operation: 'UPDATE', oldObject: latest })).toMatchObject({ result: 'skip' });
    expect(evaluate(notPinned, latest, { operation: 'UPDATE', oldObject: pinned })).toMatchObject({ result: 'fail' });
  });

  test('falls back to the static message when the message expression gives several lines', () => {
    const invalid = admissionPolicies().policies.find((p) => p.metadata.name.startsWith('image-invalid.'))!;
    const obj = admitted(pod({ containers: [{ name: 'a', image: 'nginx\n:1' }] }));
    expect(evaluate(invalid, obj)).toMatchObject({ result: 'fail', message: invalid.spec.validations[0].message });
  });

  test('skips an object whose pod spec is missing (the API server never sends one)', () => {
    expect(evaluate(notPinned, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toMatchObject({ result: 'skip' });
  });
});

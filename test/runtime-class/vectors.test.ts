import * as fs from 'fs';
import * as path from 'path';
import { KubernetesVersion } from '../../src/k8s/version';
import type { FieldError } from '../../src/k8s/field-error';
import { admitPod } from '../../src/runtime-class/admission';
import type { RuntimeClassJson } from '../../src/runtime-class/validation';
import {
  runtimeClassFactsFromJson,
  validateHandler,
  validateRuntimeClass,
  validateRuntimeClassName,
  validateRuntimeClassUpdate,
} from '../../src/runtime-class/validation';
import { judgeSubject } from '../../src/rules/judge';
import { RUNTIME_CLASS_RULES } from '../../src/rules/runtime-class';
import type { PodSpecJson, RuntimeClassFacts } from '../../src/k8s/shapes';
import type { JudgeContext, PodSubject } from '../../src/rules/types';
import { podSubject as subjectFor } from '../support/subjects';

interface ExpectedError {
  readonly type: string;
  readonly field: string;
  readonly detail: string;
}

interface HandlerCase {
  readonly handler: string;
  readonly valid: boolean;
  readonly errors: ExpectedError[];
}
interface NameCase {
  readonly name: string;
  readonly valid: boolean;
  readonly errors: ExpectedError[];
}
interface PodNameCase {
  readonly runtimeClassName: string;
  readonly valid: boolean;
  readonly errors: ExpectedError[];
}
interface ObjectCase {
  readonly id: string;
  readonly op: string;
  readonly object: RuntimeClassJson;
  readonly old?: RuntimeClassJson;
  readonly expected: { readonly valid: boolean; readonly errors?: ExpectedError[]; readonly errorField?: string };
}
interface AdmissionCase {
  readonly id: string;
  readonly runtimeClasses: RuntimeClassJson[];
  readonly pod?: { readonly spec: PodSpecJson };
  readonly object?: { readonly kind: string; readonly spec: { readonly template: { readonly spec: PodSpecJson } } };
  readonly admissionPluginEnabled?: boolean;
  readonly expected: { readonly admitted: boolean; readonly podSpecAfter?: PodSpecJson; readonly message?: string };
}
interface Vectors {
  readonly handlers: HandlerCase[];
  readonly names: NameCase[];
  readonly podRuntimeClassName: PodNameCase[];
  readonly objects: ObjectCase[];
  readonly admission: AdmissionCase[];
}

const vectors: Vectors = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/vectors/runtimeclass.json'), 'utf8'));
const short = (s: string): string => (s.length > 20 ? `${s.slice(0, 8)}…(${s.length})` : s);

/** Vectors omit the regex/example suffix of messages: compare type, field and detail prefix. */
function expectErrors(actual: readonly FieldError[], expected: readonly ExpectedError[]): void {
  expect(actual.map((e) => ({ type: e.type, field: e.field }))).toEqual(expected.map((e) => ({ type: e.type, field: e.field })));
  actual.forEach((e, i) => expect(e.detail.startsWith(expected[i].detail)).toBe(true));
}

function ctxWith(classes: RuntimeClassFacts[] | undefined): JudgeContext {
  return {
    kubernetesVersion: KubernetesVersion.V1_27,
    requireDigest: false,
    runtimeClasses: classes ? new Map(classes.map((c) => [c.name, c])) : undefined,
  };
}

function podSubject(podSpec: PodSpecJson, isPod = true): PodSubject {
  return subjectFor(podSpec, { kind: isPod ? 'Pod' : 'Deployment', name: 'x' });
}

describe('runtimeclass.json handlers', () => {
  test.each(vectors.handlers.map((c): [string, HandlerCase] => [c.handler, c]))('handler %p is judged as the API server judges it', (_h, c) => {
    const { handler, valid, errors } = c;
    expect(validateHandler(handler).length === 0).toBe(valid);
    expectErrors(validateRuntimeClass({ metadata: { name: 'x' }, handler }), errors);
  });
});

describe('runtimeclass.json names', () => {
  test.each(vectors.names.map((c): [string, NameCase] => [short(c.name), c]))(
    'RuntimeClass name %p is judged as the API server judges it',
    (_n, c) => {
      const { name, valid, errors } = c;
      const errs = validateRuntimeClass({ metadata: { name }, handler: 'runc' });
      expect(errs.length === 0).toBe(valid);
      expectErrors(errs, errors);
    },
  );
});

describe('runtimeclass.json podRuntimeClassName', () => {
  test.each(vectors.podRuntimeClassName.map((c): [string, PodNameCase] => [short(c.runtimeClassName), c]))(
    'spec.runtimeClassName %p is judged as ValidatePodSpec judges it, and the rule agrees',
    (_n, c) => {
      const { runtimeClassName, valid, errors } = c;
      const errs: FieldError[] = validateRuntimeClassName(runtimeClassName).map((detail) => ({
        type: 'FieldValueInvalid' as FieldError['type'],
        field: 'spec.runtimeClassName',
        detail,
      }));
      expectErrors(errs, errors);
      const findings = judgeSubject(podSubject({ runtimeClassName }), ctxWith(undefined), RUNTIME_CLASS_RULES);
      expect(findings.map((f) => f.rule)).toEqual(valid ? [] : ['runtime-class-name-invalid']);
    },
  );
});

describe('runtimeclass.json objects', () => {
  test.each(vectors.objects.map((c): [string, ObjectCase] => [c.id, c]))('object %s: create/update validation matches', (_id, v) => {
    const errs = v.op === 'update' ? validateRuntimeClassUpdate(v.object, v.old!) : validateRuntimeClass(v.object);
    expect(errs.length === 0).toBe(v.expected.valid);
    if (v.expected.errors) expectErrors(errs, v.expected.errors);
    if (v.expected.errorField) expect(errs.map((e) => e.field)).toEqual([v.expected.errorField]);
  });
});

describe('runtimeclass.json admission', () => {
  const cases = vectors.admission;

  test.each(cases.filter((c) => c.pod && c.admissionPluginEnabled !== false).map((c): [string, AdmissionCase] => [c.id, c]))(
    'pod %s: admitPod matches the plugin',
    (_id, c) => {
      const facts = c.runtimeClasses.map(runtimeClassFactsFromJson);
      const spec = c.pod!.spec;
      const rc = facts.find((f) => f.name === spec.runtimeClassName);
      const result = admitPod(spec, rc);
      expect(result.admitted).toBe(c.expected.admitted);
      if (c.expected.podSpecAfter) expect(result.podSpec).toEqual(c.expected.podSpecAfter);
      if (c.expected.message) expect(result.rejection?.message).toBe(c.expected.message);
    },
  );

  test.each(cases.map((c): [string, AdmissionCase] => [c.id, c]))('scenario %s: the rules report what admission would reject', (_id, c) => {
    const facts = c.runtimeClasses.map(runtimeClassFactsFromJson);
    const spec = c.pod ? c.pod.spec : c.object!.spec.template.spec;
    const subject = podSubject(spec, c.pod !== undefined);
    const findings = judgeSubject(subject, ctxWith(facts), RUNTIME_CLASS_RULES);
    // what would reach the kubelet or be created from a template is what a Pod created now would meet at admission
    const wouldBeAdmitted = admitPod(
      spec,
      facts.find((f) => f.name === spec.runtimeClassName),
    ).admitted;
    expect(findings.length === 0).toBe(wouldBeAdmitted);
  });

  test('a Deployment template naming a missing class is accepted by admission but still reported', () => {
    const c = cases.find((x) => x.id === 'deployment-template-not-checked')!;
    expect(c.expected.admitted).toBe(true);
    const findings = judgeSubject(podSubject(c.object!.spec.template.spec, false), ctxWith([]), RUNTIME_CLASS_RULES);
    expect(findings.map((f) => f.rule)).toEqual(['runtime-class-unknown']);
    expect(findings[0].message).toMatch(/accepts the Deployment but rejects every Pod it creates/);
  });

  test('with the admission plugin disabled the pod is admitted, and the rule still reports the missing class the kubelet cannot find', () => {
    const c = cases.find((x) => x.admissionPluginEnabled === false)!;
    expect(c.expected.admitted).toBe(true);
    const findings = judgeSubject(podSubject(c.pod!.spec), ctxWith([]), RUNTIME_CLASS_RULES);
    expect(findings.map((f) => f.rule)).toEqual(['runtime-class-unknown']);
  });
});

/**
 * Parity of the building blocks, one value at a time against the judge's own functions: the image facts against
 * `ImageReference.parse`, the hook budgets against `readHookBudget`, env names against `validateEnvVarName` and
 * `validateRelaxedEnvVarName`, the reason test against `hasVisibleText`, edge white space against
 * `hasEdgeWhitespace`. Each is evaluated with `@bufbuild/cel` inside a generated policy, on an admitted Pod.
 */
import type { CelValue } from '@bufbuild/cel';
import { isCelList, isCelMap } from '@bufbuild/cel';
import * as fc from 'fast-check';
import { str } from '../../src/admission/cel';
import { EDGE_SPACE, VISIBLE_TEXT } from '../../src/admission/patterns';
import { admissionPolicies } from '../../src/admission/policies';
import type { ValidatingAdmissionPolicyJson } from '../../src/admission/policies';
import { BudgetSource, readHookBudget } from '../../src/hooks/budget';
import { HookPosition } from '../../src/hooks/types';
import { ImageReference, hasEdgeWhitespace } from '../../src/image/reference';
import { validateEnvVarName, validateRelaxedEnvVarName } from '../../src/k8s/names';
import { KubernetesVersion } from '../../src/k8s/version';
import { commandArb, imageArb } from './arbitraries';
import { admit, evalCel, evaluate, RE2_ENGINE } from './harness';
import { hasVisibleText } from '../../src/rules/suppressions';

/** A CEL value as plain JS (lists as arrays, maps as objects, ints as numbers). */
function js(x: unknown): unknown {
  if (isCelList(x as CelValue))
    return Array.from({ length: Number((x as { size: number }).size) }, (_, i) => js((x as { get(i: number): unknown }).get(i)));
  if (isCelMap(x as CelValue)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of (x as unknown as Iterable<[unknown, unknown]>) ?? []) out[String(k)] = js(v);
    return out;
  }
  return typeof x === 'bigint' ? Number(x) : x;
}

function policy(version: KubernetesVersion, rule: string): ValidatingAdmissionPolicyJson {
  return admissionPolicies({ kubernetesVersion: version }).policies.find((p) => p.metadata.annotations['safe-pods.cdk8s.io/rules'] === rule)!;
}

/** The value of `variable` when `policy` judges a Pod with `container`. */
function variableFor(p: ValidatingAdmissionPolicyJson, variable: string, container: Record<string, unknown>, version: KubernetesVersion): unknown {
  const a = admit({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'main', ...container }] } }, version);
  if (!a.admitted) throw new Error(a.reason);
  const out = evaluate(p, a.object);
  if (out.result === 'error') throw new Error(out.message);
  return js(out.variables?.[variable]);
}

const V1_30 = KubernetesVersion.V1_30;
const ANY_TEXT = fc.string({ unit: fc.constantFrom(...'aZz09:/@._-[]\u00e9 '.split('')), maxLength: 30 });

describe('the image facts of the policies', () => {
  const p = policy(V1_30, 'image-invalid');
  test('agree with ImageReference.parse (distribution/reference v0.6) on validity, tag and digest', () => {
    fc.assert(
      fc.property(fc.oneof(imageArb, ANY_TEXT), (image) => {
        fc.pre(image !== '');
        const [facts] = variableFor(p, 'images', { image }, V1_30) as Array<{ valid: string; tag: string; digest: string }>;
        const ref = ImageReference.tryParse(image, { kubernetesVersion: V1_30 });
        expect({ image, valid: facts.valid === 'y' }).toEqual({ image, valid: ref !== undefined });
        if (ref === undefined) return;
        expect({ image, tag: facts.tag, digest: facts.digest === 'y' }).toEqual({ image, tag: ref.tag ?? '', digest: ref.digest !== undefined });
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  test.each([
    ['registry:5000/app', true, ''],
    ['localhost:5000', true, '5000'],
    ['UPPER/app:1', true, '1'],
    ['my_registry.com/foo', true, ''],
    ['[::1]:5000/app:v1', true, 'v1'],
    [`nginx@sha256:${'a'.repeat(64)}`, true, ''],
    [`nginx@sha256:${'A'.repeat(64)}`, false, ''],
    ['a'.repeat(64), false, ''],
    [`${'x'.repeat(256)}:1`, false, ''],
  ])('read %p as valid %p with tag %p', (image, valid, tag) => {
    const [facts] = variableFor(p, 'images', { image }, V1_30) as Array<{ valid: string; tag: string }>;
    expect({ valid: facts.valid === 'y', tag: valid ? facts.tag : '' }).toEqual({ valid, tag });
  });
});

describe('the hook budgets of the policies', () => {
  const p = policy(V1_30, 'lifecycle-prestop-exceeds-grace');
  const SOURCE: Record<string, string> = {
    [BudgetSource.TIMEOUT]: 'timeout',
    [BudgetSource.EXEC_SLEEP]: 'exec-sleep',
    [BudgetSource.DEFAULT]: 'default',
  };
  test('agree with readHookBudget on exec commands: timeout wrappers, exec and shell sleeps, anything else', () => {
    fc.assert(
      fc.property(fc.oneof(commandArb, fc.array(ANY_TEXT, { maxLength: 5 })), (command) => {
        const [hook] = variableFor(p, 'hookBudgets', { lifecycle: { preStop: { exec: { command } } } }, V1_30) as Array<{
          execSource: string;
          execSeconds: number;
        }>;
        const budget = readHookBudget({ exec: { command } }, HookPosition.PRE_STOP);
        expect({ command, source: hook.execSource }).toEqual({ command, source: SOURCE[budget.source] });
        if (budget.source !== BudgetSource.DEFAULT)
          expect({ command, seconds: Math.ceil(hook.execSeconds) }).toEqual({ command, seconds: budget.seconds });
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  test.each([
    [['timeout', '-s', 'KILL', '-k', '5', '30', 'flush'], 'timeout', 30],
    [['timeout', '-s', 'TERM', '-k', '5', '30', 'flush'], 'timeout', 35],
    [['timeout', '-s9', '-k5', '1.5m', 'flush'], 'timeout', 90],
    [['busybox', 'timeout', '-t', '10', 'flush'], 'timeout', 10],
    [['timeout', '--signal=SIGKILL', '--kill-after=2s', '--', '10', 'flush'], 'timeout', 10],
    [['timeout', '-x', '10', 'flush'], 'default', 10],
    [['timeout', '0', 'flush'], 'default', 10],
    [['timeout', '10'], 'default', 10],
    [['sh', '-c', ' exec sleep 25 '], 'exec-sleep', 25],
    [['/bin/sleep', '1.5m'], 'exec-sleep', 90],
  ])('read %j as %s, %d s', (command, source, seconds) => {
    const [hook] = variableFor(p, 'hookBudgets', { lifecycle: { preStop: { exec: { command } } } }, V1_30) as Array<{
      source: string;
      seconds: number;
    }>;
    expect({ source: hook.source, seconds: Math.ceil(hook.seconds) }).toEqual({ source, seconds });
  });

  test('read a native sleep as its seconds', () => {
    const [hook] = variableFor(p, 'hookBudgets', { lifecycle: { preStop: { sleep: { seconds: 12 } } } }, V1_30) as Array<{
      source: string;
      seconds: number;
    }>;
    expect(hook).toMatchObject({ source: 'sleep', seconds: 12 });
  });
});

describe('env names in the policies', () => {
  const NAMES = fc.string({ unit: fc.constantFrom(...'aZ_-.09=~ \t\u00e9'.split('')), maxLength: 6 });
  test.each([
    ['1.31 (IsEnvVarName)', KubernetesVersion.V1_31, validateEnvVarName],
    ['1.32 (IsRelaxedEnvVarName)', KubernetesVersion.V1_32, validateRelaxedEnvVarName],
  ] as const)('are refused exactly as the API server of %s refuses them', (_label, version, validate) => {
    const p = policy(version, 'env-name-invalid');
    fc.assert(
      fc.property(NAMES, (name) => {
        const a = admit(
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p' },
            spec: { containers: [{ name: 'main', image: 'nginx:1', env: [{ name, value: 'x' }] }] },
          },
          version,
        );
        if (!a.admitted) throw new Error(a.reason);
        expect({ name, refused: evaluate(p, a.object).result === 'fail' }).toEqual({ name, refused: validate(name).length > 0 });
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('white space in the policies', () => {
  const SPACEY = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u0085', '\ufeff', '\u2028', '\u200b', '\u180e', 'a'), maxLength: 4 });
  const REASONS = fc.string({
    unit: fc.constantFrom(' ', '\t', '\u00a0', '\u200b', '\u2060', '\ufeff', '\u0301', '-', 'a', '7', '😀', '\u3000'),
    maxLength: 4,
  });
  test('a suppression has a reason exactly when the judge sees visible text (hasVisibleText)', () => {
    fc.assert(
      fc.property(REASONS, (reason) => {
        expect({ reason, visible: evalCel(`x.matches(${str(VISIBLE_TEXT)})`, { x: reason }) }).toEqual({ reason, visible: hasVisibleText(reason) });
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  test('the RE2 class of visible text (the engine @bufbuild/cel uses) holds exactly the code points of the JavaScript one', () => {
    const re = RE2_ENGINE.compile(VISIBLE_TEXT);
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (re.test(ch) !== hasVisibleText(ch)) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });

  test('an image has edge white space exactly when hasEdgeWhitespace says so (Go unicode.IsSpace)', () => {
    fc.assert(
      fc.property(
        fc.tuple(SPACEY, SPACEY).map(([a, b]) => `${a}nginx${b}`),
        (image) => {
          expect({ image, edge: evalCel(`x.matches(${str(EDGE_SPACE)})`, { x: image }) }).toEqual({ image, edge: hasEdgeWhitespace(image) });
        },
      ),
      { numRuns: 300, seed: 6 },
    );
  });
});
